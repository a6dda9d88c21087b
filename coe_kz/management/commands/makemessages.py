"""`makemessages` for this project: Django's, told once which sources are the public site's.

`manage.py makemessages -l kk -l ru` updates locale/<language>/LC_MESSAGES/django.po from
the templates and code: the admin's own templates (the admin is in English), the tests, the
benchmarks and collected files are left out; obsolete entries are dropped and each entry
names its files, not its lines, so a change elsewhere in a file leaves the .po files alone.
tests/test_translations.py runs it into a temporary directory to check that the committed
files are up to date and every entry translated."""

from django.core.management.commands import makemessages

IGNORED = ["tests", "bench", "staticfiles", "templates/admin", "templates/admin/*", "*.egg-info"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        options["no_obsolete"] = True
        options["add_location"] = options["add_location"] or "file"
        super().handle(*args, **options)
