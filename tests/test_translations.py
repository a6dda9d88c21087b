"""The interface's translations (locale/): every string the public site's templates and code
mark for translation has a Kazakh and a Russian translation, none fuzzy, and the committed
.po files hold exactly the strings the sources mark today (manage.py makemessages, run into
a temporary directory, finds no string they lack and none they hold in vain)."""

import os
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LANGUAGES = ("kk", "ru")
LOCALE = Path(settings.BASE_DIR) / "locale"


def catalogue(directory: Path, language: str) -> polib.POFile:
    return polib.pofile(str(directory / language / "LC_MESSAGES" / "django.po"))


def entries(po: polib.POFile) -> set[tuple]:
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in po if not entry.obsolete}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    po = catalogue(LOCALE, language)
    assert len(po) > 500
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    plurals = {"kk": 2, "ru": 4}[language]
    for entry in po:
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(n, "") for n in range(plurals)]
            assert all(forms), f"{entry.msgid}: a plural form is missing"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    for entry in catalogue(LOCALE, language):
        wanted = set(re.findall(r"%\(\w+\)s|\{\w+\}", entry.msgid_plural or entry.msgid))
        for text in [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values():
            found = set(re.findall(r"%\(\w+\)s|\{\w+\}", text))
            # A singular form may leave out the count its words already give ("One body").
            assert found <= wanted and (wanted - found) <= {"%(counter)s"}, (entry.msgid, text)


def test_the_committed_files_hold_exactly_the_strings_the_sources_mark(tmp_path):
    # makemessages reads the tree it runs in and writes to the first locale/ it finds: it
    # runs in a copy of the tree made of links, without locale/, writing to tmp_path/out.
    tree, out = tmp_path / "tree", tmp_path / "out"
    tree.mkdir()
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name not in {"locale", ".git", ".venv"}:
            (tree / entry.name).symlink_to(entry)
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[str(out)]):
            call_command("makemessages", locale=list(LANGUAGES), symlinks=True, verbosity=0)
    finally:
        os.chdir(cwd)
    for language in LANGUAGES:
        fresh, committed = entries(catalogue(out, language)), entries(catalogue(LOCALE, language))
        assert fresh - committed == set(), "marked but not in the .po file: run manage.py makemessages"
        assert committed - fresh == set(), "in the .po file but no longer marked: run manage.py makemessages"


def test_the_compiled_files_are_there():
    # `make install` compiles them (msgfmt); Django would otherwise fall back to English.
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
