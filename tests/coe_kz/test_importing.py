"""Bulk import in the admin (coe_kz/importing.py), with the columns of the exports: an
export imported back changes nothing; an import adds drafts and updates with who and
from which file, shows each row's errors, and flags steps out of order.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from bodies.models import BodyStanding
from events.models import Event
from tests.helpers import linked_treaties, shown_messages, url
from treaties.models import Treaty, TreatyStep


def exported(client, dataset: str) -> bytes:
    response = client.get(reverse("export:csv", args=[dataset]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def import_csv(client, model, content: bytes, name: str = "edited.csv"):
    """Upload to the model's import page (the dry run); returns the preview response."""
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(url(model, "import"), {"import_file": upload, "format": "0", "resource": "0"})


def confirm(client, model, preview):
    return client.post(url(model, "process_import"), preview.context["confirm_form"].initial, follow=True)


def history_rows(model) -> int:
    return model.history.count()


def rows_of(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize(
    ("dataset", "model"), [("events", Event), ("treaty_steps", TreatyStep), ("body_standings", BodyStanding)]
)
@pytest.mark.parametrize("records", [3], indirect=True)
def test_importing_an_export_changes_nothing(editor, dataset, model, records):
    # What round trips get wrong: a formula-like title, an empty place, several keys in
    # one cell, and a link to a draft treaty the export does not name.
    event = Event.objects.get(title="Test event 1")
    event.title = "=Reform of the judiciary"
    event.treaties.add(Treaty.objects.get(number=9002))
    event.treaties.add(Treaty.objects.create(number=9100, title="A draft convention"))
    event.save()
    content = exported(editor, dataset)
    before = {obj.pk: obj for obj in model.objects.all()}
    count = history_rows(model)

    preview = import_csv(editor, model, content)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.valid_rows()] == ["skip"] * len(before)
    done = confirm(editor, model, preview)
    assert f"Import finished: 0 new, 0 updated, 0 deleted and {len(before)} skipped" in " ".join(
        shown_messages(done)
    )
    assert history_rows(model) == count
    after = {obj.pk: obj for obj in model.objects.all()}
    for pk, obj in before.items():
        for field in model._meta.concrete_fields:
            assert getattr(after[pk], field.attname) == getattr(obj, field.attname), field.name
    event.refresh_from_db()
    assert sorted(t.number for t in event.treaties.all()) == [9001, 9002, 9100]


@pytest.mark.parametrize("records", [2], indirect=True)
def test_an_import_adds_drafts_and_updates_with_who_and_from_which_file(editor, records):
    rows = rows_of(exported(editor, "events"))
    rows[0]["title"] = "Test event 0, retitled"
    new = {
        **rows[1],
        "id": "",
        "title": "A new visit",
        "date": "2024-05",
        "treaties": "9000;9001",
        "bodies": "",
    }
    versions_before = Event.history.filter(id=rows[0]["id"]).count()
    preview = import_csv(editor, Event, as_csv([*rows, new]), name="events-may.csv")
    result = preview.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["update", "skip", "new"]
    confirm(editor, Event, preview)

    updated = Event.objects.get(pk=rows[0]["id"])
    assert (updated.title, updated.publication) == ("Test event 0, retitled", "published")
    latest = updated.history.first()
    assert (latest.history_change_reason, latest.history_user.username) == (
        "Imported from events-may.csv",
        "edith",
    )
    added = Event.objects.get(title="A new visit")
    assert (added.publication, added.date_earliest.isoformat()) == ("draft", "2024-05-01")
    assert sorted(t.number for t in added.treaties.all()) == [9000, 9001]
    # One version per imported row, its links as imported.
    assert updated.history.count() == versions_before + 1
    assert [(v.history_type, linked_treaties(v)) for v in added.history.all()] == [("+", [9000, 9001])]


@pytest.mark.parametrize("records", [2], indirect=True)
def test_an_import_shows_each_rows_errors_and_saves_nothing(editor, records):
    rows = rows_of(exported(editor, "treaty_steps"))
    rows[0]["date"] = "March 2012"
    rows[1]["treaty"] = "12345"
    count = TreatyStep.objects.count()
    preview = import_csv(editor, TreatyStep, as_csv(rows))
    assert preview.context.get("confirm_form") is None
    page = preview.content.decode()
    assert escape("“March 2012” is not a date.") in page
    assert escape("No treaty with the number “12345”.") in page
    assert TreatyStep.objects.count() == count
    assert TreatyStep.objects.get(pk=rows[0]["id"]).date == "2014"


def test_an_imported_step_that_contradicts_the_order_is_flagged(editor, records):
    # The record's one step: party in 2014.
    rows = rows_of(exported(editor, "treaty_steps"))
    new = {**rows[0], "id": "", "status": "signed", "date": "2016", "consent": "", "note": ""}
    preview = import_csv(editor, TreatyStep, as_csv([*rows, new]))
    done = confirm(editor, TreatyStep, preview)
    assert (
        "Check the order of the steps on CETS No. 9000 Test convention 0: "
        "“signed” (2016) is dated after “party” (2014) with no “denounced” between."
    ) in shown_messages(done)
    assert TreatyStep.objects.get(date="2016").publication == "draft"


def test_the_lists_link_to_import_and_to_deleted_records(editor, records):
    page = editor.get(url(Event, "changelist")).content.decode()
    assert f"<a href='{url(Event, 'import')}' class=\"import_link\">Import</a>" in page
    assert f'<a href="{url(Event, "deleted")}">Deleted events</a>' in page
    page = editor.get(url(Event, "import")).content.decode()
    assert 'with the columns of the <a href="/export/events.csv">events export</a>' in page
    assert "ignored on import: date_earliest, date_latest, people." in page


def test_an_import_refuses_unknown_ids_and_other_columns(editor, records):
    rows = rows_of(exported(editor, "events"))
    rows[0]["id"] = "987654"
    page = import_csv(editor, Event, as_csv(rows)).content.decode()
    assert "No event has the id 987654. Leave id empty to add a new one." in page
    rows = [{("name" if key == "title" else key): value for key, value in row.items()} for row in rows]
    page = import_csv(editor, Event, as_csv(rows)).content.decode()
    assert "The file lacks the columns title and has columns the export does not: name." in page
