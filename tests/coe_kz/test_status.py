"""Status as of a day, at its edges, on real rows in the database."""

import datetime

import pytest

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.models import Source

D = datetime.date


@pytest.fixture
def source(db):
    return Source.objects.create(key="s", title="A source", publication="published")


@pytest.fixture
def body(db):
    return Body.objects.create(slug="greco", name="Group of States against Corruption", acronym="GRECO")


def step(body, status, date, source, rank="normal"):
    standing = BodyStanding.objects.create(body=body, status=status, date=date)
    BodyStandingCitation.objects.create(
        record=standing,
        source=source,
        quote="q",
        rank=rank,
        rank_reason="" if rank == "normal" else "why",
        publication="published",
    )
    return standing


def answer(body, day):
    return Body.objects.for_status().get(pk=body.pk).status_on(day)


def test_a_month_step_is_uncertain_inside_the_month_and_certain_after(body, source):
    step(body, "applicant", "2012-03", source)
    mid = answer(body, D(2012, 3, 15))
    assert (mid.status, mid.certain, mid.possible) == ("none", False, ("applicant",))
    after = answer(body, D(2012, 4, 1))
    assert (after.status, after.since, after.certain) == ("applicant", "2012-03", True)
    before = answer(body, D(2012, 2, 29))
    assert (before.status, before.certain) == ("none", True)


def test_on_or_before_step_is_certain_on_its_day_and_unknown_before(body, source):
    step(body, "member", "../2023-10-07", source)
    assert (answer(body, D(2023, 10, 7)).status, answer(body, D(2023, 10, 7)).certain) == ("member", True)
    earlier = answer(body, D(1990, 1, 1))
    assert (earlier.status, earlier.certain, earlier.possible) == ("none", False, ("member",))


def test_later_step_straddling_the_day_makes_the_answer_uncertain(body, source):
    step(body, "applicant", "2013-07", source)
    step(body, "member", "2018-09-20/2023-10-07", source)
    mid = answer(body, D(2020, 1, 1))
    assert (mid.status, mid.since, mid.certain, mid.possible) == ("applicant", "2013-07", False, ("member",))
    late = answer(body, D(2024, 1, 1))
    assert (late.status, late.since, late.certain) == ("member", "2018-09-20/2023-10-07", True)


def test_a_deprecated_step_never_counts(body, source):
    step(body, "member", "2012-03", source)
    step(body, "withdrawn", "2014", source, rank="deprecated")
    later = answer(body, D(2020, 1, 1))
    assert (later.status, later.certain) == ("member", True)


def test_a_step_with_one_supporting_citation_is_not_deprecated(body, source):
    standing = step(body, "member", "2012-03", source, rank="deprecated")
    BodyStandingCitation.objects.create(record=standing, source=source, quote="q2", publication="published")
    assert answer(body, D(2020, 1, 1)).status == "member"


def test_a_citation_from_a_draft_source_does_not_reject_a_step_yet(body, source):
    step(body, "member", "2012-03", source)
    draft_source = Source.objects.create(key="draft", title="A source not yet published")
    step(body, "withdrawn", "2014", draft_source, rank="deprecated")
    assert answer(body, D(2020, 1, 1)).status == "withdrawn"
    draft_source.publication = "published"
    draft_source.save()
    assert answer(body, D(2020, 1, 1)).status == "member"


def test_the_answer_changes_on_a_steps_first_and_last_possible_days_only(body, source):
    from coe_kz.status import change_days

    step(body, "applicant", "2013-07", source)
    step(body, "member", "2014-02-27", source)
    days = change_days(Body.objects.for_status().get(pk=body.pk).standings.all())
    assert days == [D(2013, 7, 1), D(2013, 7, 31), D(2014, 2, 27)]

    def said(day):
        result = answer(body, day)
        return (result.status, result.certain, result.possible)

    # Each of those days answers differently from the day before it; the day after does not.
    for day in days:
        assert said(day) != said(day - datetime.timedelta(days=1))
        assert said(day + datetime.timedelta(days=1)) == said(day)


def test_undated_step_is_never_certain(body, source):
    step(body, "observer", "XXXX", source)
    result = answer(body, D(2020, 1, 1))
    assert (result.status, result.certain) == ("none", False)


class FakeStep:
    """A step as status.py sees it: status, EDTF date and its bounds."""

    def __init__(self, status, date):
        from coe_kz.dates import parse_bounds

        bounds = parse_bounds(date)
        self.status, self.date, self.pk = status, date, None
        self.date_earliest, self.date_latest = bounds.earliest, bounds.latest


TREATY_PROGRESSION = {"none": 0, "interested": 1, "invited": 1, "signed": 2, "party": 3}


def test_signed_after_party_without_denunciation_is_flagged():
    from coe_kz.status import order_problems

    steps = [FakeStep("party", "2012-05-01"), FakeStep("signed", "2015")]
    assert order_problems(steps, TREATY_PROGRESSION, "denounced") == [
        "“signed” (2015) is dated after “party” (2012-05-01) with no “denounced” between."
    ]


def test_signed_after_a_denunciation_is_in_order():
    from coe_kz.status import order_problems

    steps = [FakeStep("party", "2012"), FakeStep("denounced", "2014"), FakeStep("signed", "2015")]
    assert order_problems(steps, TREATY_PROGRESSION, "denounced") == []
    assert (
        order_problems(
            [FakeStep("signed", "2010"), FakeStep("party", "2012")], TREATY_PROGRESSION, "denounced"
        )
        == []
    )
