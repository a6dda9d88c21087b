"""EDTF strings and the two days they can mean."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from coe_kz.dates import EXPECTED_FORMS, DateBounds, parse_bounds, parse_day

D = datetime.date


@pytest.mark.parametrize(
    ("edtf", "earliest", "latest"),
    [
        ("1997", D(1997, 1, 1), D(1997, 12, 31)),
        ("2012-03", D(2012, 3, 1), D(2012, 3, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2013-12-19", D(2013, 12, 19), D(2013, 12, 19)),
        ("../2023-10-07", None, D(2023, 10, 7)),
        ("2007/..", D(2007, 1, 1), None),
        ("2013-12-19/2018-09-20", D(2013, 12, 19), D(2018, 9, 20)),
        ("2014/2023-10-07", D(2014, 1, 1), D(2023, 10, 7)),
        ("XXXX", None, None),
        ("201X", D(2010, 1, 1), D(2019, 12, 31)),
    ],
)
def test_each_form_gives_its_earliest_and_latest_day(edtf, earliest, latest):
    assert parse_bounds(edtf) == DateBounds(earliest, latest)


@pytest.mark.parametrize(
    "bad", ["2015-13-45", "2015-02-30", "1900-02-29", "yesterday", "19 Dec 2013", "../..", "2018/2014"]
)
def test_malformed_dates_are_refused_with_the_expected_forms(bad):
    with pytest.raises(ValidationError) as error:
        parse_bounds(bad)
    message = " ".join(error.value.messages)
    assert bad in message
    if bad != "2018/2014":
        assert EXPECTED_FORMS in message
    else:
        assert "ends before it starts" in message


@pytest.mark.parametrize(
    ("edtf", "earliest", "latest"),
    [
        # edtf's fuzzy bounds: a qualified date widens by its precision, twice for "%".
        ("2015?", D(2014, 1, 1), D(2016, 12, 31)),
        ("1997~", D(1996, 1, 1), D(1998, 12, 31)),
        ("2015%", D(2013, 1, 1), D(2017, 12, 31)),
        ("2012-03~", D(2011, 2, 1), D(2013, 4, 30)),
        ("../2015~", None, D(2016, 12, 31)),
        ("2007~/..", D(2006, 1, 1), None),
    ],
)
def test_a_qualified_date_widens_beyond_its_exact_days(edtf, earliest, latest):
    assert parse_bounds(edtf) == DateBounds(earliest, latest)


def test_about_1997_is_not_certainly_over_by_the_end_of_1997():
    about = parse_bounds("1997~")
    assert not about.certainly_by(D(1997, 12, 31))
    assert about.possibly_by(D(1996, 6, 1))
    assert about.certainly_by(D(1998, 12, 31))


@pytest.mark.parametrize("bad", ["0000", "0000-05-01", "0000~", "../0000", "0000/2001"])
def test_year_zero_is_refused_not_taken_for_an_unknown_date(bad):
    with pytest.raises(ValidationError) as error:
        parse_bounds(bad)
    assert error.value.messages == [
        f"“{bad}” is not a date: there is no year 0000, years start at 0001. "
        "Use XXXX when the date is unknown."
    ]


def test_a_month_is_not_over_before_its_last_day():
    march = parse_bounds("2012-03")
    assert not march.certainly_by(D(2012, 3, 15))
    assert march.possibly_by(D(2012, 3, 15))
    assert march.certainly_by(D(2012, 3, 31))


@pytest.mark.parametrize(
    "bad", ["2015-13-45", "2015-02-30", "yesterday", "", "2015-6-3", "20150630", "2015-W01-1"]
)
def test_url_days_must_be_whole_calendar_days(bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day(bad)


def test_url_day_parses():
    assert parse_day("2015-06-30") == D(2015, 6, 30)
