"""Cut a release from the command line, as a publisher does in the admin."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coe_kz.publication import Refused
from coe_kz.site.releases import cut_release


class Command(BaseCommand):
    help = (
        "Cut the next release: every dataset as the public sees it now, with its data package "
        "and README, stored for good in the database and served at /releases/<version>/. The "
        "files name the site as SITE_URL gives it: set it to the address readers will cite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--notes", required=True, help="What the release holds or is for.")

    def handle(self, *args, notes, **options):
        try:
            release = cut_release(notes=notes, homepage=settings.SITE_URL)
        except Refused as refusal:
            raise CommandError(refusal.message) from None
        self.stdout.write(
            self.style.SUCCESS(f"{release} is cut: {settings.SITE_URL}{release.get_absolute_url()}")
        )
