"""Check the whole database against the rules of the data (coe_kz.integrity)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coe_kz.integrity import findings


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class Command(BaseCommand):
    help = (
        "Check every curated row against the rules: each published record cites a source the "
        "public can see, fields pass their validators, date bounds and search text match their "
        "fields; every release's files still hash to their SHA-256; the numbers the database keeps "
        "(each person's public events, the published events) are their counts. Prints each breach with the "
        "record and its admin address and exits 1 on any; "
        "steps in an unusual order are printed as warnings. Run it after any manual repair."
    )

    def handle(self, *args, **options):
        breaches = warnings = 0
        for finding in findings():
            if finding.warning:
                warnings += 1
                self.stdout.write(self.style.WARNING(f"WARNING {finding}"))
            else:
                breaches += 1
                self.stdout.write(self.style.ERROR(f"BREACH {finding}"))
            self.stdout.write(f"    {settings.SITE_URL}{finding.admin_path}")
        summary = f"{count(breaches, 'breach', 'breaches')}, {count(warnings, 'warning', 'warnings')}."
        if breaches:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(f"The data keeps every rule: {summary}"))
