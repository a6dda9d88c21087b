"""The two editorial roles, through the admin: an Editor adds and changes but cannot
publish or delete (no action offered, a forged POST refused, the field ignored); a
Publisher also publishes, unpublishes and deletes. The groups come from the data
migration coe_kz/migrations/0003_roles.py; the first test checks their permissions
against a list written here independently of it. Last, the lock on repeated wrong
passwords at the admin's sign-in.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from coe_kz.models import Publishable, Source
from events.models import Event, EventCitation
from tests.helpers import CURATED_APPS, PASSWORD, logged_in, shown_messages, staff_user, submitted, url
from treaties.models import Treaty, TreatyStep, TreatyStepCitation


def draft_event(**fields) -> Event:
    """A draft event with a citation the public could see (the site publishes no fact
    without one)."""
    event = Event.objects.create(date="2024-05", title="A draft visit", kind="visit", **fields)
    source, _ = Source.objects.get_or_create(
        key="cited-source", defaults={"title": "A cited source", "publication": "published"}
    )
    EventCitation.objects.create(record=event, source=source, quote="A visit.", publication="published")
    return event


def action(client, model, name: str, objs, **extra):
    """POST an admin action from the model's changelist, as its form does."""
    data = {"action": name, "_selected_action": [obj.pk for obj in objs], "index": "0", **extra}
    return client.post(url(model, "changelist"), data)


def offered_actions(client, model) -> set[str]:
    form = client.get(url(model, "changelist")).context["action_form"]
    return {value for value, _ in form.fields["action"].choices if value} if form else set()


# The groups.


def intended_permissions() -> dict[str, set[str]]:
    curated = [
        model
        for label in CURATED_APPS
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Publishable)  # not releases, which are cut, not curated
        and not hasattr(model, "instance_type")  # django-simple-history's own tables
    ]
    editor = {
        f"{m._meta.app_label}.{action}_{m._meta.model_name}"
        for m in curated
        for action in ("add", "change", "view")
    }
    extra = {f"{m._meta.app_label}.delete_{m._meta.model_name}" for m in curated}
    extra |= {
        f"{m._meta.app_label}.publish_{m._meta.model_name}" for m in curated if issubclass(m, Publishable)
    }
    # Releases are cut, by publishers only (coe_kz/migrations/0006_releases.py).
    extra |= {"coe_kz.view_release", "coe_kz.cut_release"}
    return {"Editor": editor, "Publisher": editor | extra}


def test_the_roles_have_exactly_the_intended_permissions(db):
    for name, intended in intended_permissions().items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        assert granted == intended, name
    assert "treaties.publish_treaty" in intended_permissions()["Publisher"]
    assert not any(p.startswith(("delete_", "publish_")) for p in intended_permissions()["Editor"])


# What an editor can do.


@pytest.mark.parametrize(
    "model", [Source, Treaty, TreatyStep, Event, EventCitation], ids=lambda m: m.__name__
)
def test_an_editor_opens_every_page_of_adding_and_changing(editor, records, model):
    assert editor.get(url(model, "changelist")).status_code == 200
    assert editor.get(url(model, "add")).status_code == 200
    assert editor.get(url(model, "change", records[model].pk)).status_code == 200
    assert editor.get(url(model, "history", records[model].pk)).status_code == 200


def test_an_editor_adds_a_record_as_a_draft_even_when_posting_published(editor, records):
    page = editor.get(url(Event, "add"))
    assert "publication" not in page.context["adminform"].form.fields  # shown read-only
    data = {
        **submitted(page),
        "date": "2024-05-06",
        "title": "A visit to Astana",
        "kind": "visit",
        "publication": "published",
    }
    assert editor.post(url(Event, "add"), data).status_code == 302
    event = Event.objects.get(title="A visit to Astana")
    assert event.publication == "draft"
    assert event.history.get().history_user.username == "edith"


def test_an_editor_cannot_publish_or_unpublish_by_posting_the_field(editor, records):
    event = draft_event()
    data = {**submitted(editor.get(url(Event, "change", event.pk))), "publication": "published"}
    assert editor.post(url(Event, "change", event.pk), data).status_code == 302
    event.refresh_from_db()
    assert event.publication == "draft"

    treaty = records[Treaty]  # published
    data = {
        **submitted(editor.get(url(Treaty, "change", treaty.pk))),
        "publication": "draft",
        "note": "Checked against the Treaty Office.",
        "change_reason": "Checked",
    }
    assert editor.post(url(Treaty, "change", treaty.pk), data).status_code == 302
    treaty.refresh_from_db()
    assert (treaty.publication, treaty.note) == ("published", "Checked against the Treaty Office.")


def test_an_editors_new_inline_rows_are_drafts_whatever_they_post(editor, records):
    step = records[TreatyStep]
    page = editor.get(url(TreatyStep, "change", step.pk))
    data = submitted(page)
    data.update(
        {
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": records[Source].pk,
            "citations-1-quote": "Kazakhstan acceded in 2014.",
            "citations-1-rank": "normal",
            "citations-1-publication": "published",
            "change_reason": "A second source",
        }
    )
    assert editor.post(url(TreatyStep, "change", step.pk), data).status_code == 302
    assert step.citations.get(quote="Kazakhstan acceded in 2014.").publication == "draft"


def test_an_editor_is_offered_no_publish_or_delete_action(editor, publisher, records):
    for model in (Treaty, TreatyStep, TreatyStepCitation, Event, Source):
        assert offered_actions(editor, model) == set(), model
        assert offered_actions(publisher, model) == {
            "publish_selected",
            "unpublish_selected",
            "delete_selected",
        }


def test_a_forged_publish_action_from_an_editor_does_nothing(editor, records):
    event = draft_event()
    response = action(editor, Event, "publish_selected", [event], confirm="yes", with_parts="yes")
    assert response.status_code in (200, 302)  # the list again: no action ran
    event.refresh_from_db()
    assert event.publication == "draft"
    action(editor, Treaty, "unpublish_selected", [records[Treaty]])
    records[Treaty].refresh_from_db()
    assert records[Treaty].publication == "published"


def test_an_editor_cannot_delete(editor, records):
    treaty = records[Treaty]
    assert editor.get(url(Treaty, "delete", treaty.pk)).status_code == 403
    assert editor.post(url(Treaty, "delete", treaty.pk), {"post": "yes"}).status_code == 403
    action(editor, Treaty, "delete_selected", [treaty], post="yes")
    assert Treaty.objects.filter(pk=treaty.pk).exists()


def test_an_editor_restoring_an_old_draft_version_keeps_the_record_published(editor, records):
    event = draft_event()
    first = event.history.get()
    event.publication = "published"
    event.title = "The visit, published"
    event.save()
    revert = editor.get(url(Event, "simple_history", event.pk, first.history_id))
    assert revert.status_code == 200
    assert (
        editor.post(url(Event, "simple_history", event.pk, first.history_id), submitted(revert)).status_code
        == 302
    )
    event.refresh_from_db()
    assert (event.title, event.publication) == ("A draft visit", "published")


# What a publisher can do.


def test_a_publisher_publishes_and_unpublishes_with_a_reason_in_history(publisher, records):
    event = draft_event()
    response = action(publisher, Event, "publish_selected", [event])
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.publication == "published"
    latest = event.history.first()
    assert (latest.history_change_reason, latest.history_user.username) == ("Published", "pablo")

    action(publisher, Event, "unpublish_selected", [event])
    event.refresh_from_db()
    assert event.publication == "draft"
    assert event.history.first().history_change_reason == "Unpublished"


def test_publishing_a_record_offers_to_publish_its_draft_parts(publisher, records):
    event = draft_event()
    citation = EventCitation.objects.create(record=event, source=records[Source], quote="They met in May.")
    page = action(publisher, Event, "publish_selected", [event])
    assert page.status_code == 200  # the confirmation page, nothing published yet
    assert "Event citation: test-source-0: They met in May." in page.content.decode()
    event.refresh_from_db()
    assert event.publication == "draft"

    action(publisher, Event, "publish_selected", [event], confirm="yes", with_parts="yes")
    event.refresh_from_db()
    citation.refresh_from_db()
    assert (event.publication, citation.publication) == ("published", "published")
    assert citation.history.first().history_change_reason == "Published"


def test_publishing_without_the_parts_leaves_them_drafts(publisher, records):
    treaty = Treaty.objects.create(number=9990, title="A draft convention")
    step = TreatyStep.objects.create(treaty=treaty, status="signed", date="2020")
    action(publisher, Treaty, "publish_selected", [treaty], confirm="yes")
    treaty.refresh_from_db()
    step.refresh_from_db()
    assert (treaty.publication, step.publication) == ("published", "draft")


def uncited_event() -> Event:
    return Event.objects.create(date="2024-05", title="An uncited visit", kind="visit")


def test_nothing_is_published_when_a_record_would_cite_no_visible_source(publisher, records):
    cited, uncited = draft_event(), uncited_event()
    response = action(publisher, Event, "publish_selected", [cited, uncited])
    assert response.status_code == 302
    [message] = shown_messages(response)
    assert message.startswith("Nothing was published. Every fact on the site cites a source")
    assert "An uncited visit" in message and "A draft visit" not in message
    cited.refresh_from_db()
    uncited.refresh_from_db()
    assert (cited.publication, uncited.publication) == ("draft", "draft")


def test_a_records_only_citation_must_be_published_with_it(publisher, records):
    event = uncited_event()
    EventCitation.objects.create(record=event, source=records[Source], quote="They met in May.")
    action(publisher, Event, "publish_selected", [event], confirm="yes")  # its draft citation left out
    event.refresh_from_db()
    assert event.publication == "draft"
    action(publisher, Event, "publish_selected", [event], confirm="yes", with_parts="yes")
    event.refresh_from_db()
    assert event.publication == "published"


def test_a_citation_from_a_draft_source_does_not_count(publisher, records):
    event = uncited_event()
    hidden = Source.objects.create(key="not-yet-published", title="A source not yet published")
    EventCitation.objects.create(record=event, source=hidden, quote="They met.", publication="published")
    action(publisher, Event, "publish_selected", [event])
    event.refresh_from_db()
    assert event.publication == "draft"


def test_the_publication_field_needs_a_visible_citation_in_the_form(publisher, records):
    event = uncited_event()
    change_url = url(Event, "change", event.pk)
    data = {**submitted(publisher.get(change_url)), "publication": "published"}
    response = publisher.post(change_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["publication"] == [
        "A published record must cite a source the public can see: add a citation with its quote "
        "below, set it to Published too (its source must be published), or keep this record a draft."
    ]
    row = {"source": records[Source].pk, "quote": "They met in May.", "rank": "normal"}
    data.update({"citations-TOTAL_FORMS": "1", **{f"citations-0-{k}": v for k, v in row.items()}})
    assert publisher.post(change_url, data).status_code == 200  # the citation is still a draft
    data["citations-0-publication"] = "published"
    assert publisher.post(change_url, data).status_code == 302
    event.refresh_from_db()
    assert (event.publication, event.citations.get().publication) == ("published", "published")


def test_a_new_step_row_is_not_published_from_its_treatys_page(publisher, records):
    treaty = records[Treaty]
    change_url = url(Treaty, "change", treaty.pk)
    data = {
        **submitted(publisher.get(change_url)),
        "steps-TOTAL_FORMS": "2",
        "steps-1-status": "denounced",
        "steps-1-date": "2020",
        "steps-1-publication": "published",
        "change_reason": "Denunciation reported",
    }
    response = publisher.post(change_url, data)
    assert response.status_code == 200
    [row_errors] = [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms[1:]]
    assert row_errors["publication"] == [
        "A treaty step is published only with a citation the public can see: "
        "keep it a draft, add its citation on its own page, and publish it there."
    ]
    data["steps-1-publication"] = "draft"
    assert publisher.post(change_url, data).status_code == 302
    assert treaty.steps.filter(status="denounced", publication="draft").exists()


def test_already_published_uncited_records_do_not_block_publishing_others(publisher, records):
    legacy = uncited_event()
    legacy.publication = "published"
    legacy.save()
    event = draft_event()
    action(publisher, Event, "publish_selected", [legacy, event])
    event.refresh_from_db()
    assert event.publication == "published"


def test_a_source_or_citation_that_is_a_records_only_support_stays_published(publisher, records):
    source, citation = records[Source], records[TreatyStepCitation]
    response = action(publisher, Source, "unpublish_selected", [source])
    [message] = shown_messages(response)
    assert message.startswith("Nothing was unpublished. Every fact on the site cites a source")
    # Each record by a name that says where it belongs.
    assert "Treaty step “CETS No. 9000: Party (2014)”" in message
    assert "Body standing “Test body 0: Member (2012-03)”" in message
    response = action(publisher, TreatyStepCitation, "unpublish_selected", [citation])
    assert shown_messages(response)[0].startswith("Nothing was unpublished.")
    source.refresh_from_db()
    citation.refresh_from_db()
    assert (source.publication, citation.publication) == ("published", "published")
    # With a second visible citation, the first can go.
    TreatyStepCitation.objects.create(
        record=citation.record, source=source, quote="Also.", publication="published"
    )
    action(publisher, TreatyStepCitation, "unpublish_selected", [citation])
    citation.refresh_from_db()
    assert citation.publication == "draft"


def test_a_record_is_not_restored_published_without_a_visible_citation(publisher, records):
    event = draft_event()
    event.publication = "published"
    event.save()
    event.citations.update(publication="draft")  # its only citation, hidden since
    event_pk = event.pk
    event.delete()
    deleted = Event.history.filter(id=event_pk, history_type="-").get()
    response = publisher.post(url(Event, "restore", deleted.history_id), follow=True)
    assert shown_messages(response)[0].startswith(
        "Nothing was restored. Every fact on the site cites a source"
    )
    assert not Event.objects.filter(pk=event_pk).exists()


def test_a_publisher_publishes_by_the_field_too(publisher, records):
    event = draft_event()
    data = {**submitted(publisher.get(url(Event, "change", event.pk))), "publication": "published"}
    assert publisher.post(url(Event, "change", event.pk), data).status_code == 302
    event.refresh_from_db()
    assert event.publication == "published"
    assert event.history.first().history_change_reason == "Published"

    data = {**submitted(publisher.get(url(Event, "change", event.pk))), "publication": "draft"}
    assert publisher.post(url(Event, "change", event.pk), data).status_code == 302
    event.refresh_from_db()
    assert (event.publication, event.history.first().history_change_reason) == ("draft", "Unpublished")


def test_a_publisher_deletes_one_record_and_several(publisher, records):
    event = draft_event()
    assert publisher.post(url(Event, "delete", event.pk), {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    deleted = Event.history.filter(id=event.pk, history_type="-").get()
    assert (deleted.history_user.username, deleted.history_change_reason) == ("pablo", "Deleted")

    others = [draft_event(), draft_event()]
    action(publisher, Event, "delete_selected", others, post="yes")
    assert not Event.objects.filter(pk__in=[e.pk for e in others]).exists()


# Pages that need more than viewing.


def test_deleted_lists_restores_and_imports_need_add_permission(db, django_user_model, records):
    viewer = staff_user(django_user_model, "vera")
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    client = logged_in(viewer)
    assert client.get(url(Event, "changelist")).status_code == 200
    assert client.get(url(Event, "deleted")).status_code == 403
    history = records[Event].history.first()
    assert client.post(url(Event, "restore", history.history_id)).status_code == 403
    assert client.get(url(Event, "import")).status_code == 403


def test_an_editor_may_list_deleted_records_and_import(editor, records):
    assert editor.get(url(Event, "deleted")).status_code == 200
    assert editor.get(url(Event, "import")).status_code == 200
    assert editor.get(url(TreatyStep, "import")).status_code == 200


# A published record keeps a visible citation, whatever path an edit takes.

LOSES = "This would leave published records citing no source the public can see: "


def other_source() -> Source:
    return Source.objects.create(key="another-source", title="Another source", publication="published")


def test_a_sources_own_form_cannot_unpublish_a_records_only_support(publisher, records):
    source = records[Source]
    change_url = url(Source, "change", source.pk)
    data = {**submitted(publisher.get(change_url)), "publication": "draft", "change_reason": "Withdrawn"}
    response = publisher.post(change_url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["publication"]
    assert error.startswith(LOSES) and "Event “2013-12-19 Test event 0”" in error
    source.refresh_from_db()
    assert source.publication == "published"


def test_a_citations_own_form_cannot_take_away_a_records_only_support(publisher, records):
    citation = records[EventCitation]
    change_url = url(EventCitation, "change", citation.pk)
    hidden = Source.objects.create(key="not-yet-published", title="Not yet published")
    other = Event.objects.create(date="2020", title="Another event", kind="visit", publication="published")
    for change in ({"publication": "draft"}, {"source": hidden.pk}, {"record": other.pk}):
        data = {**submitted(publisher.get(change_url)), **change, "change_reason": "Moved"}
        response = publisher.post(change_url, data)
        assert response.status_code == 200, change
        assert response.context["adminform"].form.non_field_errors()[0].startswith(LOSES), change
    # With another visible citation on the event, the first may go.
    EventCitation.objects.create(
        record=citation.record, source=other_source(), quote="Also.", publication="published"
    )
    data = {**submitted(publisher.get(change_url)), "publication": "draft", "change_reason": "Superseded"}
    assert publisher.post(change_url, data).status_code == 302


def test_a_records_only_visible_citation_is_not_deleted(publisher, records):
    citation = records[EventCitation]
    response = publisher.get(url(EventCitation, "delete", citation.pk), follow=True)
    assert shown_messages(response)[0].startswith("Not deleted. " + LOSES)
    response = action(publisher, EventCitation, "delete_selected", [citation], post="yes")
    assert shown_messages(response)[0].startswith("Nothing was deleted. " + LOSES)
    assert EventCitation.objects.filter(pk=citation.pk).exists()
    EventCitation.objects.create(
        record=citation.record, source=other_source(), quote="Also.", publication="published"
    )
    assert publisher.post(url(EventCitation, "delete", citation.pk), {"post": "yes"}).status_code == 302
    assert not EventCitation.objects.filter(pk=citation.pk).exists()


def test_an_editor_cannot_leave_a_published_event_without_a_visible_citation(editor, records):
    event = records[Event]
    hidden = Source.objects.create(key="not-yet-published", title="Not yet published")
    change_url = url(Event, "change", event.pk)
    data = {
        **submitted(editor.get(change_url)),
        "citations-0-source": hidden.pk,
        "change_reason": "Re-sourced",
    }
    response = editor.post(change_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()[0].startswith(LOSES)
    assert event.citations.get().source_id == records[Source].pk


def test_an_edit_of_only_a_draft_part_writes_no_version_of_its_published_record(publisher, records):
    treaty = records[Treaty]
    versions = treaty.history.count()
    change_url = url(Treaty, "change", treaty.pk)
    data = {
        **submitted(publisher.get(change_url)),
        "steps-TOTAL_FORMS": "2",
        "steps-1-status": "denounced",
        "steps-1-date": "2020",
        "steps-1-publication": "draft",
        "change_reason": "A denunciation, to be checked",
    }
    assert publisher.post(change_url, data).status_code == 302
    assert treaty.history.count() == versions  # the draft step has its own version
    assert "A denunciation, to be checked" not in publisher.get("/changes/").content.decode()
    assert publisher.post(change_url, submitted(publisher.get(change_url))).status_code == 302
    assert treaty.history.count() == versions  # saving unchanged writes nothing


def test_the_change_log_says_deleted_and_restored_not_which_links_changed(publisher, records):
    event = records[Event]
    event_pk = event.pk
    assert publisher.post(url(Event, "delete", event_pk), {"post": "yes"}).status_code == 302
    deleted = Event.history.filter(id=event_pk, history_type="-").get()
    publisher.post(url(Event, "restore", deleted.history_id))
    log = publisher.get("/changes/").content.decode()
    assert "· Deleted</span>" in log and "· Created</span>" in log
    assert "Deleted: " not in log and "Created: " not in log


# Signing in: repeated wrong passwords lock the account.


def log_in(client, username: str, password: str):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, django_user_model):
    staff_user(django_user_model, "edith", "Editor")
    for _ in range(4):
        assert log_in(client, "edith", "wrong-password").status_code == 200
    locked = log_in(client, "edith", "wrong-password")
    assert locked.status_code == 429
    response = log_in(client, "edith", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in locked" in page and "after 5 failed attempts" in page and "for 60 minutes" in page
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_failures(client, django_user_model):
    staff_user(django_user_model, "edith", "Editor")
    for _ in range(4):
        log_in(client, "edith", "wrong-password")
    assert log_in(client, "edith", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "edith", "wrong-password").status_code == 200
    assert log_in(client, "edith", PASSWORD).status_code == 302
