"""The editors' admin: every model's pages, edit history and revert, validation
messages, and query counts that stay the same however many rows there are.

The records are made here in code (no dependence on fixtures/), numbered so that none
can be mistaken for curated data. Query counts were measured once and are pinned:
a change that adds a query per row, or per page, fails here first.
"""

import datetime
import hashlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.html import escape
from simple_history.admin import SimpleHistoryAdmin

from bodies.models import Body, BodyStanding, BodyStandingCitation
from coe_kz.dates import EXPECTED_FORMS
from coe_kz.models import Publishable, SetAside, Source
from events.models import Event, EventCitation, Participation, Person, PersonCitation, PersonName
from tests.helpers import CURATED_APPS, PUBLIC, submitted, url
from treaties.models import Treaty, TreatyStep, TreatyStepCitation

# Queries per page for a superuser: (changelist, add, change, history). Measured once;
# the changelist count is asserted with 1 row and with many, so it cannot grow per row,
# and change pages with few and many inline rows. The history page reads the record's
# versions, then one query per kind of part (a treaty's steps, then their citations),
# whatever the number of versions. Known growth left in place: an event's many-to-many
# versions are read one version at a time (inside django-simple-history's diff), so its
# count follows the number of versions shown (at most a page of them); the add pages of
# slug-keyed records with inlines (Source, Body, Person) ask once per inline for rows of
# the empty key.
PINNED = {
    Source: (9, 5, 6, 8),
    SetAside: (8, 4, 6, 7),
    Treaty: (9, 4, 8, 9),
    TreatyStep: (7, 4, 7, 8),
    TreatyStepCitation: (8, 4, 8, 7),
    Body: (9, 5, 7, 9),
    BodyStanding: (7, 4, 7, 8),
    BodyStandingCitation: (8, 4, 8, 7),
    Event: (11, 4, 11, 21),
    Person: (9, 6, 7, 10),
    PersonName: (8, 4, 6, 7),
    Participation: (8, 4, 8, 8),
    EventCitation: (8, 4, 7, 7),
    PersonCitation: (8, 4, 7, 7),
}


def of_each(count: int):
    """Give the test `count` records of every model as its `records` (tests/coe_kz/conftest.py)."""
    return pytest.mark.parametrize("records", [count], indirect=True)


@pytest.fixture(autouse=True)
def warm_content_types(db):
    """Django caches content types for the life of the process: the first page that
    needs one costs a query that later pages do not. Warmed here, every pinned count is
    the steady state, whatever tests ran before."""
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def editor(editor_client, django_user_model):
    """The superuser that `editor_client` (tests/conftest.py) is logged in as."""
    return django_user_model.objects.get(is_superuser=True)


# Every model, every page.


def test_every_curated_model_is_registered_with_history():
    # Curated: the publishable records; releases (coe_kz.models.Release) are not curated but
    # cut, and have their own admin (coe_kz.site.release_admin).
    curated = {
        model
        for label in CURATED_APPS
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Publishable)
        and not hasattr(model, "instance_type")  # django-simple-history's Historical* tables
    }
    registered = {
        model
        for model in admin.site._registry
        if model._meta.app_label in CURATED_APPS and issubclass(model, Publishable)
    }
    assert registered == curated == set(PINNED)
    for model in registered:
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


def test_every_relation_an_editor_picks_uses_autocomplete():
    """Foreign keys and many-to-many fields on every admin form and inline are picked by
    search, never from a select listing every row (an inline's key to its parent aside)."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in CURATED_APPS:
            continue
        for holder, parent in [(model_admin, None), *((inline, model) for inline in model_admin.inlines)]:
            shown = holder.model if parent else model
            relations = {
                f.name
                for f in [*shown._meta.fields, *shown._meta.many_to_many]
                if f.is_relation and f.editable and not f.primary_key and f.related_model is not parent
            }
            if holder.fields:
                relations &= set(holder.fields)
            relations -= set(holder.readonly_fields)  # shown, never picked
            assert relations <= set(holder.autocomplete_fields), (holder, relations)


@pytest.mark.parametrize(("rows", "records"), [(1, 1), (6, 6)], indirect=["records"], ids=["1", "6"])
@pytest.mark.parametrize("model", PINNED, ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(
    editor_client, django_assert_num_queries, model, rows, records
):
    with django_assert_num_queries(PINNED[model][0]):
        response = editor_client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= rows


@of_each(2)
@pytest.mark.parametrize("model", PINNED, ids=lambda m: m.__name__)
def test_add_page(editor_client, django_assert_num_queries, model, records):
    with django_assert_num_queries(PINNED[model][1]):
        response = editor_client.get(url(model, "add"))
    assert response.status_code == 200
    assert "adminform" in response.context


@of_each(2)
@pytest.mark.parametrize("model", PINNED, ids=lambda m: m.__name__)
def test_change_page(editor_client, django_assert_num_queries, model, records):
    obj = records[model]
    with django_assert_num_queries(PINNED[model][2]):
        response = editor_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


@of_each(2)
@pytest.mark.parametrize("model", PINNED, ids=lambda m: m.__name__)
def test_history_page(editor_client, django_assert_num_queries, model, records):
    obj = records[model]
    obj.save()  # a second version, so the page also computes a change between two
    with django_assert_num_queries(PINNED[model][3]):
        response = editor_client.get(url(model, "history", obj.pk))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == obj.history.count() >= 2


# What an editor sees on the pages that gather a record's parts.


def grow(obj, rows: int) -> None:
    """Give `obj` `rows` more inline rows of every kind its change page shows."""
    for i in range(rows):
        source = Source.objects.create(key=f"extra-{obj._meta.model_name}-{obj.pk}-{i}", title=f"Extra {i}")
        quote = {"source": source, "quote": f"Extra quote {i} from {source.key}."}
        if isinstance(obj, Treaty):
            step = TreatyStep.objects.create(treaty=obj, status="signed", date=f"{2000 + i}")
            TreatyStepCitation.objects.create(record=step, **quote)
        elif isinstance(obj, TreatyStep):
            TreatyStepCitation.objects.create(record=obj, **quote)
        elif isinstance(obj, Body):
            standing = BodyStanding.objects.create(body=obj, status="observer", date=f"{2000 + i}")
            BodyStandingCitation.objects.create(record=standing, **quote)
        elif isinstance(obj, BodyStanding):
            BodyStandingCitation.objects.create(record=obj, **quote)
        elif isinstance(obj, Event):
            person = Person.objects.create(slug=f"extra-person-{i}", name=f"Extra Person {i}")
            Participation.objects.create(publication="published", event=obj, person=person, role="Extra role")
            EventCitation.objects.create(record=obj, **quote)
        elif isinstance(obj, Person):
            PersonName.objects.create(publication="published", person=obj, name=f"Extra name {i}")
            PersonCitation.objects.create(record=obj, **quote)


@of_each(2)
@pytest.mark.parametrize("rows", [0, 4])
@pytest.mark.parametrize(
    "model", [Treaty, TreatyStep, Body, BodyStanding, Event, Person], ids=lambda m: m.__name__
)
def test_change_page_query_count_does_not_grow_with_inline_rows(
    editor_client, django_assert_num_queries, model, rows, records
):
    obj = records[model]
    grow(obj, rows)
    with django_assert_num_queries(PINNED[model][2]):
        response = editor_client.get(url(model, "change", obj.pk))
    shown = sum(len(inline.formset.forms) for inline in response.context["inline_admin_formsets"])
    assert shown >= rows * (2 if model in (Event, Person) else 1) + 1


@of_each(2)
@pytest.mark.parametrize("rows", [0, 4])
@pytest.mark.parametrize(
    "model", [Treaty, TreatyStep, Body, BodyStanding, Event, Person], ids=lambda m: m.__name__
)
def test_history_page_query_count_does_not_grow_with_parts(
    editor_client, django_assert_num_queries, model, rows, records
):
    obj = records[model]
    obj.save()
    grow(obj, rows)
    with django_assert_num_queries(PINNED[model][3]):
        response = editor_client.get(url(model, "history", obj.pk))
    assert len(response.context["parts_history"]) >= rows * (2 if model in (Event, Person) else 1)


def test_treaty_page_lists_each_steps_citations(editor_client, records):
    treaty = records[Treaty]
    grow(treaty, 3)
    page = editor_client.get(url(Treaty, "change", treaty.pk)).content.decode()
    citations = TreatyStepCitation.objects.filter(record__treaty=treaty).select_related("source")
    assert len(citations) == 4
    for citation in citations:
        assert f'<a href="{url(citation, "change", citation.pk)}">{citation.source.key}</a>' in page
        assert f"· Normal · “{citation.quote}”" in page
    assert page.count('class="inlinechangelink"') == 4  # each step links to its own page


def test_a_step_without_citations_says_so_on_its_treaty_page(editor_client, records):
    treaty = records[Treaty]
    TreatyStep.objects.create(treaty=treaty, status="signed", date="2010")
    page = editor_client.get(url(Treaty, "change", treaty.pk)).content.decode()
    assert page.count("No citation yet: every step needs one.") == 1


def test_step_page_shows_the_computed_date_bounds_read_only(editor_client, records):
    step = records[TreatyStep]
    page = editor_client.get(url(TreatyStep, "change", step.pk)).content.decode()
    assert 'name="date"' in page
    assert 'name="date_earliest"' not in page
    assert '<div class="readonly">1 Jan 2014</div>' in page
    assert '<div class="readonly">31 Dec 2014</div>' in page


# Lists: search, filters and the columns computed per row.


@of_each(3)
def test_people_are_found_by_their_other_names(editor_client, records):
    response = editor_client.get(url(Person, "changelist"), {"q": '"Tset Prson 1"'})
    assert [person.slug for person in response.context["cl"].result_list] == ["test-person-1"]
    assert '<td class="field-other_name_list">Tset Prson 1</td>' in response.content.decode()


@of_each(3)
@pytest.mark.parametrize(("term", "found"), [("9001", [9001]), ("convention 2", [9002]), ("9", [])])
def test_treaties_are_found_by_number_or_title(editor_client, term, found, records):
    response = editor_client.get(url(Treaty, "changelist"), {"q": term})
    assert [treaty.number for treaty in response.context["cl"].result_list] == found


@of_each(2)
def test_record_lists_show_todays_status_and_counts(editor_client, records):
    treaties = editor_client.get(url(Treaty, "changelist")).content.decode()
    assert treaties.count('<td class="field-status_today">Party since 2014</td>') == 2
    assert treaties.count('<td class="field-step_count">1</td>') == 2
    bodies = editor_client.get(url(Body, "changelist")).content.decode()
    assert bodies.count('<td class="field-status_today">Member since March 2012</td>') == 2
    events = editor_client.get(url(Event, "changelist")).content.decode()
    for column in ("treaty_count", "body_count", "participant_count", "citation_count"):
        assert events.count(f'<td class="field-{column}">1</td>') == 2, column


def test_record_lists_word_an_uncertain_status_as_the_public_site_does(editor_client):
    body = Body.objects.create(slug="greco", name="GRECO", **PUBLIC)
    BodyStanding.objects.create(body=body, status="applicant", date="2013-07", **PUBLIC)
    # "On or before 9998": it may already have happened today, or not yet.
    BodyStanding.objects.create(body=body, status="member", date="../9998", **PUBLIC)
    bodies = editor_client.get(url(Body, "changelist")).content.decode()
    assert (
        '<td class="field-status_today">Applicant since July 2013 (uncertain: a step that may already '
        "have happened would make it Member)</td>"
    ) in bodies


@of_each(2)
def test_source_counts_the_citations_drawn_from_it_in_every_app(editor_client, records):
    source = records[Source]
    listing = editor_client.get(url(Source, "changelist")).content.decode()
    assert listing.count('<td class="field-citation_count">4</td>') == 2
    page = editor_client.get(url(Source, "change", source.pk)).content.decode()
    link = f"{url(TreatyStepCitation, 'changelist')}?source__key__exact={source.pk}"
    assert f'<a href="{link}">1 treaty step citations</a>' in page
    citations = editor_client.get(link)
    assert [c.source_id for c in citations.context["cl"].result_list] == [source.pk]


@of_each(2)
def test_steps_filter_by_rejection_and_records_by_any_steps_status(editor_client, records):
    rejected = TreatyStep.objects.create(treaty=records[Treaty], status="invited", date="2023")
    TreatyStepCitation.objects.create(
        record=rejected,
        source=records[Source],
        quote="A claim.",
        rank="deprecated",
        rank_reason="Disproved.",
        **PUBLIC,
    )
    listed = editor_client.get(url(TreatyStep, "changelist"), {"rejected": "yes"}).context["cl"].result_list
    assert [step.pk for step in listed] == [rejected.pk]
    listed = editor_client.get(url(TreatyStep, "changelist"), {"rejected": "no"}).context["cl"].result_list
    assert rejected.pk not in [step.pk for step in listed] and len(listed) == 2
    listed = (
        editor_client.get(url(Treaty, "changelist"), {"step_status": "invited"}).context["cl"].result_list
    )
    assert [treaty.number for treaty in listed] == [records[Treaty].number]


@pytest.mark.parametrize(("rows", "records"), [(1, 1), (6, 6)], indirect=["records"], ids=["1", "6"])
def test_step_autocomplete_names_each_steps_treaty_at_a_fixed_query_count(
    editor_client, django_assert_num_queries, rows, records
):
    params = {"app_label": "treaties", "model_name": "treatystepcitation", "field_name": "record"}
    with django_assert_num_queries(6):
        response = editor_client.get(reverse("admin:autocomplete"), {**params, "term": "Test convention"})
    labels = [result["text"] for result in response.json()["results"]]
    assert labels == [f"CETS No. {9000 + i}: Party (2014)" for i in range(rows)]


# Editing: who changed what, bad input, keys, revert.


def test_saving_through_the_admin_records_the_editor_in_history(editor_client, editor, records):
    treaty = records[Treaty]
    step = treaty.steps.get()
    data = submitted(editor_client.get(url(Treaty, "change", treaty.pk)))
    data["short_title"] = "Edited title"
    data["steps-0-note"] = "Edited note"
    data["change_reason"] = "Short title as the Treaty Office gives it"
    response = editor_client.post(url(Treaty, "change", treaty.pk), data)
    assert response.status_code == 302
    version = treaty.history.first()
    assert (version.short_title, version.history_type, version.history_user) == ("Edited title", "~", editor)
    assert version.history_change_reason == "Short title as the Treaty Office gives it"
    step_version = step.history.first()
    assert (step_version.note, step_version.history_user) == ("Edited note", editor)
    assert step_version.history_change_reason == "Short title as the Treaty Office gives it"
    history_page = editor_client.get(url(Treaty, "history", treaty.pk)).content.decode()
    assert f'<a href="{url(editor, "change", editor.pk)}">{editor.username}</a>' in history_page
    assert "Edited title" in history_page  # the change itself, in the row's list of changes


def test_a_citation_added_on_its_steps_page_records_the_editor(editor_client, editor, records):
    step = records[TreatyStep]
    data = submitted(editor_client.get(url(TreatyStep, "change", step.pk)))
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": records[Source].pk,
            "citations-1-quote": "A second quote.",
            "citations-1-rank": "preferred",
            "citations-1-rank_reason": "The clearer wording.",
            "citations-1-publication": "draft",
            "change_reason": "A second source says it more clearly.",
        }
    )
    response = editor_client.post(url(TreatyStep, "change", step.pk), data)
    assert response.status_code == 302
    added = step.citations.get(quote="A second quote.")
    assert (added.rank, added.history.get().history_user) == ("preferred", editor)


def test_a_malformed_date_shows_the_expected_forms_not_an_error_page(editor_client, records):
    step = records[TreatyStep]
    data = submitted(editor_client.get(url(TreatyStep, "change", step.pk)))
    data["date"] = "March 2012"
    response = editor_client.post(url(TreatyStep, "change", step.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        f"“March 2012” is not a date. {EXPECTED_FORMS}"
    ]
    assert escape(EXPECTED_FORMS) in response.content.decode()
    step.refresh_from_db()
    assert step.date == "2014"


def test_year_zero_is_refused_with_a_message_not_an_error_page(editor_client, records):
    step = records[TreatyStep]
    data = submitted(editor_client.get(url(TreatyStep, "change", step.pk)))
    data["date"] = "0000"
    response = editor_client.post(url(TreatyStep, "change", step.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "“0000” is outside the years this site can date (0001 to 9998; EDTF tools read 0000 and 9999 as "
        "“unspecified”). Use XXXX when the date is unknown."
    ]
    step.refresh_from_db()
    assert (step.date, step.date_earliest) == ("2014", datetime.date(2014, 1, 1))


def test_a_malformed_date_in_a_step_row_is_shown_on_the_treaty_page(editor_client, records):
    treaty = records[Treaty]
    data = submitted(editor_client.get(url(Treaty, "change", treaty.pk)))
    data["steps-0-date"] = "2012-13"
    response = editor_client.post(url(Treaty, "change", treaty.pk), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["date"] == [
        f"“2012-13” is not a date. {EXPECTED_FORMS}"
    ]
    assert escape(EXPECTED_FORMS) in response.content.decode()


def test_treaty_number_0_is_refused_on_the_add_page(editor_client):
    data = submitted(editor_client.get(url(Treaty, "add")))
    data.update(number="0", title="Test convention")
    response = editor_client.post(url(Treaty, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["number"] == [
        "A CETS/ETS number is a whole number from 1."
    ]
    assert "A CETS/ETS number is a whole number from 1." in response.content.decode()
    assert not Treaty.objects.exists()
    # The same form with number 1 is saved: only the number was wrong.
    data["number"] = "1"
    assert editor_client.post(url(Treaty, "add"), data).status_code == 302
    assert list(Treaty.objects.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    ("model", "key", "other"),
    [
        (Source, "key", "renamed"),
        (Treaty, "number", "9999"),
        (Body, "slug", "renamed"),
        (Person, "slug", "renamed"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_saved_records_key_is_read_only(editor_client, model, key, other, records):
    obj = records[model]
    assert f'name="{key}"' in editor_client.get(url(model, "add")).content.decode()
    page = editor_client.get(url(model, "change", obj.pk))
    assert f'name="{key}"' not in page.content.decode()
    data = submitted(page)
    data[key] = other
    assert editor_client.post(url(model, "change", obj.pk), data).status_code == 302
    assert list(model.objects.filter(pk__in=[obj.pk, other]).values_list("pk", flat=True)) == [obj.pk]


def test_an_old_version_can_be_restored_from_the_history_page(editor_client, editor, records):
    treaty = records[Treaty]
    first = treaty.history.last()
    treaty.title = "A mistaken title"
    treaty.save()
    revert_url = reverse("admin:treaties_treaty_simple_history", args=[treaty.pk, first.history_id])
    assert revert_url in editor_client.get(url(Treaty, "history", treaty.pk)).content.decode()
    form_page = editor_client.get(revert_url)
    assert form_page.status_code == 200
    assert form_page.context["adminform"].form["title"].value() == "Test convention 0"
    assert editor_client.post(revert_url, submitted(form_page)).status_code == 302
    treaty.refresh_from_db()
    assert treaty.title == "Test convention 0"
    latest = treaty.history.first()
    assert (latest.title, latest.history_user) == ("Test convention 0", editor)
    assert treaty.history.count() == 3


# A tampered selection: the keys of the ticked rows come back from the browser.

# Every integer-keyed admin (ours, Django's users and groups, django-axes' logs) with the
# action each offers, and the publication actions on one of ours.
TAMPERED_ACTIONS = [
    *(
        (model, "delete_selected")
        for model in admin.site._registry
        if isinstance(model._meta.pk, models.IntegerField | models.AutoField)
    ),
    (Event, "publish_selected"),
    (Event, "unpublish_selected"),
]


@pytest.mark.parametrize(("model", "action"), TAMPERED_ACTIONS, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("bad_key", ["x", "9" * 5000, str(2**70)], ids=["text", "digits", "range"])
def test_a_bulk_action_on_a_tampered_selection_is_a_400(editor_client, model, action, bad_key):
    data = {"action": action, "_selected_action": ["1", bad_key], "index": "0"}
    # The action itself, then its confirmation page's answer (delete, publish with parts).
    for confirmed in ({}, {"post": "yes", "confirm": "yes"}):
        response = editor_client.post(url(model, "changelist"), {**data, **confirmed})
        assert response.status_code == 400, (confirmed, response.status_code)


# Archived texts: the quote rule, the sentences accounted for, passages set aside.


def archived_source(records) -> Source:
    """The archive build_records makes: “Test archive 0”, then “A fact.”, its headline set aside."""
    return records[SetAside].source


def test_a_quote_not_in_its_sources_text_is_refused_with_the_closest_passage(editor_client, records):
    step = records[TreatyStep]
    data = submitted(editor_client.get(url(TreatyStep, "change", step.pk)))
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": archived_source(records).pk,
            "citations-1-quote": "A fact was stated.",
            "citations-1-paragraph": "7",  # read-only: found, not typed
            "citations-1-rank": "normal",
            "citations-1-publication": "draft",
            "change_reason": "Another source",
        }
    )
    response = editor_client.post(url(TreatyStep, "change", step.pk), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[1]["quote"]
    assert errors == [
        "This is not in the archived text of “Test archive 0”. The closest passage, in paragraph 2: "
        "“A fact.”. Copy the words from the text (spacing, quotation marks and dashes may differ; use "
        '"..." to skip words).'
    ]
    assert escape("The closest passage, in paragraph 2: “A fact.”") in response.content.decode()
    data["citations-1-quote"] = "A  fact."
    assert editor_client.post(url(TreatyStep, "change", step.pk), data).status_code == 302
    assert step.citations.get(source=archived_source(records)).paragraph == 2


def test_a_citations_own_page_refuses_a_quote_not_in_its_source(editor_client, records):
    citation = records[EventCitation]
    data = submitted(editor_client.get(url(EventCitation, "change", citation.pk)))
    data.update(source=archived_source(records).pk, quote="A fact it is.", change_reason="Moved")
    response = editor_client.post(url(EventCitation, "change", citation.pk), data)
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["quote"][0]
        .startswith("This is not in the archived text of “Test archive 0”.")
    )


def test_a_sources_page_shows_its_open_sentences_and_takes_passages_set_aside(editor_client, records):
    source = archived_source(records)
    page = editor_client.get(url(Source, "change", source.pk))
    html = page.content.decode()
    assert "2 sentences: 0 cited, 1 set aside, <strong>1 open</strong> (drafts count)." in html
    assert "<li>¶ 2.1 “A fact.”</li>" in html
    assert 'name="text"' not in html  # an archived text stays as it was retrieved
    data = submitted(page)
    data.update(
        {
            "set_asides-TOTAL_FORMS": "2",
            "set_asides-1-passage": "A",
            "set_asides-1-reason": "Says nothing.",
            "set_asides-1-publication": "draft",
            "change_reason": "Accounted for",
        }
    )
    response = editor_client.post(url(Source, "change", source.pk), data)
    assert response.status_code == 200
    assert (
        response.context["inline_admin_formsets"][0]
        .formset.errors[1]["passage"][0]
        .startswith(
            "A passage set aside is one or more whole sentences; this one holds only part of sentence 2.1"
        )
    )
    data["set_asides-1-passage"] = "A fact."
    assert editor_client.post(url(Source, "change", source.pk), data).status_code == 302
    assert "<strong>0 open</strong>" in editor_client.get(url(Source, "change", source.pk)).content.decode()
    assert source.set_asides.get(passage="A fact.").paragraph == 2


def test_a_text_archived_through_the_admin_is_kept_as_pasted_and_hashed(editor_client, db):
    data = submitted(editor_client.get(url(Source, "add")))
    pasted = " A headline\r\n\r\nA first paragraph.\r\n"
    data.update(key="pasted", title="Pasted", language="en", text=pasted)
    assert editor_client.post(url(Source, "add"), data).status_code == 302
    source = Source.objects.get(pk="pasted")
    assert source.text == " A headline\n\nA first paragraph.\n"
    assert source.text_sha256 == hashlib.sha256(source.text.encode()).hexdigest()


@pytest.mark.parametrize("rows", [0, 6])
def test_an_archived_sources_page_takes_as_many_queries_however_many_sentences_are_cited(
    editor_client, django_assert_num_queries, rows, records
):
    source = Source.objects.create(
        key="long", title="Long", text="\n\n".join(f"Fact {i}." for i in range(rows + 1))
    )
    for i in range(rows):
        EventCitation.objects.create(record=records[Event], source=source, quote=f"Fact {i}.")
        SetAside.objects.create(source=source, passage=f"Fact {i}.", reason="Twice.")
    # The change page's own (PINNED), and the sentences accounted for: every citation table
    # in one query, then the passages set aside.
    with django_assert_num_queries(PINNED[Source][2] + 2):
        response = editor_client.get(url(Source, "change", source.pk))
    assert f"{rows + 1} sentences: {rows} cited" in response.content.decode()
