"""Record texts in three languages (django-modeltranslation, coe_kz/languages.py): edited in
the admin side by side, kept in every version, English always in the field's own column."""

import contextlib
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from coe_kz.history import field_changes
from tests.helpers import submitted, url
from treaties.models import Treaty


def test_the_admin_edits_a_title_in_its_three_languages_on_one_row(editor_client):
    treaty = Treaty.objects.create(number=141, title="Convention on Laundering")
    page = editor_client.get(url(Treaty, "change", treaty.pk))
    html = page.content.decode()
    assert 'class="form-row field-title field-title_kk field-title_ru"' in html
    assert 'name="title_en"' not in html, "English is the field itself: the admin is in English"
    data = submitted(page)
    data.update(title_ru="Конвенция об отмывании", title_kk="Жылыстату туралы конвенция")
    assert editor_client.post(url(Treaty, "change", treaty.pk), data).status_code == 302
    treaty.refresh_from_db()
    assert (treaty.title_en, treaty.title_ru, treaty.title_kk) == (
        "Convention on Laundering",
        "Конвенция об отмывании",
        "Жылыстату туралы конвенция",
    )
    with translation.override("ru"):
        assert Treaty.objects.get(pk=141).title == "Конвенция об отмывании"
    with translation.override("kk"):
        assert Treaty.objects.get(pk=141).short_title == "", "no short title in any language"


def test_every_version_keeps_each_language_and_a_change_names_it(db):
    treaty = Treaty.objects.create(number=141, title="Convention on Laundering")
    treaty.title_ru = "Конвенция об отмывании"
    treaty.save()
    newest, first = treaty.history.all()[:2]
    assert (first.title_ru, newest.title_ru) == (None, "Конвенция об отмывании")
    assert newest.title == "Convention on Laundering"
    changes = field_changes(newest, first)
    assert [(c.label, c.old, c.new) for c in changes] == [("title [ru]", None, "Конвенция об отмывании")]


def test_a_save_in_another_language_keeps_the_english_text_in_the_fields_own_column(db):
    treaty = Treaty.objects.create(number=141, title="Convention on Laundering")
    with translation.override("ru"):
        treaty.title_ru = "Конвенция об отмывании"
        treaty.save()
    assert Treaty.objects.rewrite(False).values_list("title", flat=True).get() == "Convention on Laundering"
    assert treaty.history.first().title == "Convention on Laundering"


def test_verify_names_a_title_whose_own_column_is_not_its_english_text(db):
    Treaty.objects.create(number=141, title="Convention on Laundering", publication="draft")
    Treaty.objects.rewrite(False).update(title="Something else")  # behind the services' back
    out = io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("verify", stdout=out)
    assert "title: its own column is not its English text (re-save it)." in out.getvalue()
