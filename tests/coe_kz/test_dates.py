"""EDTF strings, the two days they can mean, and the words the site puts them in."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from coe_kz.dates import EXPECTED_FORMS, DateBounds, edtf_human, parse_bounds, parse_day

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


@pytest.mark.parametrize("qualified", ["2015?", "1997~", "2015%", "2012-03~", "../2015~", "2004-06~-11"])
def test_a_qualified_date_is_refused_with_a_range_to_give_instead(qualified):
    with pytest.raises(ValidationError) as error:
        parse_bounds(qualified)
    assert error.value.messages == [
        f"“{qualified}” is marked uncertain or approximate (?, ~ or %). Give the range the "
        "sources allow instead, for example 1996/1998 for “about 1997”, or ../2014 for “by 2014”."
    ]


@pytest.mark.parametrize(
    "bad", ["0000", "0000-05-01", "../0000", "0000/2001", "9999", "../9999", "9999-12-31"]
)
def test_years_0000_and_9999_are_refused_not_taken_for_an_unknown_date(bad):
    with pytest.raises(ValidationError) as error:
        parse_bounds(bad)
    assert error.value.messages == [
        f"“{bad}” is outside the years this site can date (0001 to 9998; EDTF tools read 0000 "
        "and 9999 as “unspecified”). Use XXXX when the date is unknown."
    ]


def test_a_month_is_not_over_before_its_last_day():
    # A date has certainly come by a day when its latest day is on or before it, and
    # may have come when its earliest is (coe_kz.status.status_on reads them so).
    march = parse_bounds("2012-03")
    assert not march.latest <= D(2012, 3, 15)
    assert march.earliest <= D(2012, 3, 15)
    assert march.latest <= D(2012, 3, 31)


@pytest.mark.parametrize(
    "bad", ["2015-13-45", "2015-02-30", "yesterday", "", "2015-6-3", "20150630", "2015-W01-1"]
)
def test_url_days_must_be_whole_calendar_days(bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day(bad)


def test_url_day_parses():
    assert parse_day("2015-06-30") == D(2015, 6, 30)


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        ("1997", "1997"),
        ("2012-03", "March 2012"),
        ("2013-12-19", "19 December 2013"),
        ("../2023-10-07", "on or before 7 October 2023"),
        ("2018-01-01/..", "on or after 1 January 2018"),
        ("2013-12-19/2018-09-20", "between 19 December 2013 and 20 September 2018"),
        ("2018-09-20/2023-10", "between 20 September 2018 and October 2023"),
        ("XXXX", "date unknown"),
        ("", "no date given"),
        ("2012-03?", "perhaps March 2012"),
        ("2013~", "about 2013"),
        ("201X", "the 2010s"),
        ("2012-22", "summer 2012"),
        ("not-a-date", "not-a-date"),  # never a guess: an unknown form is shown as it is
    ],
)
def test_edtf_dates_in_words(edtf, words):
    assert edtf_human(edtf) == words


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        ("1997", "since 1997"),
        ("2012-03", "since March 2012"),
        ("2013-12-19", "since 19 December 2013"),
        ("../2023-10-07", "since 7 October 2023 or earlier"),
        ("2018-01-01/..", "since 1 January 2018 or later"),
        ("2013-12-19/2018-09-20", "since some day between 19 December 2013 and 20 September 2018"),
        ("XXXX", "since a day no source gives"),
        ("2013~", "since about 2013"),
    ],
)
def test_edtf_dates_after_since_read_as_english(edtf, words):
    # A status "since" its step's date: every form reads as a sentence, none as
    # "since between ..." or "since on or before ...".
    assert edtf_human(edtf, "since") == words
