"""`export` is our command whatever the order of INSTALLED_APPS.

django-import-export ships an `export` command too, and of two commands with one name
Django runs the one of the app listed first. The settings therefore use django-import-export
as a library, not an installed app (coe_kz/settings/base.py), so no other app offers
`export`; these tests hold both halves of that: only coe_kz offers it, and the admin's
import pages still find what django-import-export would bring as an app.
"""

import os
import subprocess
import sys

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command, find_commands, get_commands
from django.template.loader import get_template

from coe_kz.management.commands import export

ROOT = settings.BASE_DIR


def test_only_coe_kz_offers_an_export_command_so_the_order_of_apps_cannot_matter():
    offering = [
        config.name
        for config in apps.get_app_configs()
        if "export" in find_commands(os.path.join(config.path, "management"))
    ]
    assert offering == ["coe_kz"]
    assert get_commands()["export"] == "coe_kz"


def test_django_import_export_is_not_an_installed_app():
    # Installing it would bring its `export` back, and with it the dependence on order.
    assert "import_export" not in settings.INSTALLED_APPS
    assert "import" not in get_commands()  # its generic import would bypass the publication rules


def test_call_command_runs_ours(db, tmp_path):
    out = tmp_path / "events.csv"
    # django-import-export's `export` takes a format and a resource and has no -o.
    call_command("export", "events", "-o", str(out))
    header = out.read_bytes().split(b"\r\n")[0]
    assert header.startswith(b"id,")


def test_manage_py_export_help_is_ours():
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "export", "--help"],
        cwd=ROOT,
        env=environment,  # manage.py's own default settings, as a developer types it
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert " ".join(export.Command.help.split()) in " ".join(result.stdout.split())
    assert "--as-of" in result.stdout


def test_the_admin_import_pages_still_find_django_import_export_s_templates_tags_and_static():
    get_template("admin/coe_kz/import.html")  # extends its import.html, which loads its tags
    get_template("admin/import_export/export.html")
    assert finders.find("import_export/import.css")
    assert finders.find("import_export/guess_format.js")
