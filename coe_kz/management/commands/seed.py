"""Load the curated fixtures, once, and record them in the edit history.

A source's archived text is kept beside the fixtures, as retrieved, byte for byte, in
fixtures/texts/<key>.txt, and its SHA-256 in fixtures/texts/SHA256SUMS (the format of
`sha256sum`, so `cd fixtures/texts && sha256sum -c SHA256SUMS` checks them too). A text
whose hash differs, or that SHA256SUMS does not list, is refused; every quote is then
checked against the texts.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext_noop

from coe_kz import publication
from coe_kz.languages import in_original_language
from coe_kz.models import Source
from coe_kz.passages import sha256_of
from coe_kz.records import curated_models

FIXTURES = ["sources", "treaties", "bodies", "events"]
SUMS = "SHA256SUMS"
SEED_USERNAME = "seed"
# The history's reasons for a load, stored in English; the change log reads them in the
# page's language (coe_kz.changes.loads), so they are marked for translation.
INITIAL_REASON = gettext_noop("Initial import from the curated fixtures")
RELOADED_REASON = gettext_noop("Reloaded from the curated fixtures")


class Command(BaseCommand):
    help = (
        "Load the curated data from fixtures/ and write one history row per record, "
        "attributed to the 'seed' user. Does nothing if data is already there, so an "
        "editor's work is never overwritten; --force reloads over it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reload even if data exists (overwrites edits to seeded records).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if Source.objects.exists() and not force:
            if options["verbosity"]:
                self.stdout.write("Data already loaded; nothing to do (use --force to reload the fixtures).")
            return
        fixture_dir = settings.BASE_DIR / "fixtures"
        # loaddata's many-to-many writes would each log an anonymous history row;
        # the one row per record is written below instead, attributed to the seed user.
        # In English, as every write is (coe_kz/languages.py): loaddata's raw saves too.
        with override_settings(SIMPLE_HISTORY_ENABLED=False), in_original_language():
            call_command("loaddata", *[fixture_dir / f"{name}.json" for name in FIXTURES], verbosity=0)
        archive_texts(fixture_dir / "texts")
        seed_user, _ = get_user_model().objects.get_or_create(
            username=SEED_USERNAME, defaults={"is_active": False, "first_name": "Initial import"}
        )
        if seed_user.has_usable_password():
            seed_user.set_unusable_password()
            seed_user.save(update_fields=["password"])
        reason = INITIAL_REASON if not force else RELOADED_REASON
        # loaddata writes rows raw, without history; saving each record once more
        # writes its first history row (many-to-many fields included).
        loaded = [obj for model in curated_models() for obj in model._default_manager.all()]
        try:
            written = publication.record_loaded(loaded, user=seed_user, reason=reason)
        except publication.Uncited as refused:
            raise CommandError(f"The fixtures break the citation rule. {refused.message}") from None
        except ValidationError as refused:
            raise CommandError("The fixtures break the rules:\n" + "\n".join(refused.messages)) from None
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the curated data: {written} records, each with a history row.")
            )


def archive_texts(directory) -> None:
    """Give each source listed in `directory`/SHA256SUMS its archived text, checked."""
    listed = {}
    for line in (directory / SUMS).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    unlisted = sorted({path.name for path in directory.glob("*.txt")} - set(listed))
    if unlisted:
        raise CommandError(f"{directory / SUMS} does not list {', '.join(unlisted)}.")
    for name, digest in listed.items():
        path = directory / name
        key = path.stem
        if not Source.objects.filter(pk=key).exists():
            raise CommandError(f"{path} is the text of no source: there is no source “{key}”.")
        if not path.exists():
            raise CommandError(f"The archived text of “{key}” is missing: {path}.")
        text = path.read_bytes().decode("utf-8")
        if sha256_of(text) != digest:
            raise CommandError(f"{path} is not the text archived for “{key}”: its SHA-256 is not {digest}.")
        Source.objects.filter(pk=key).update(text=text, text_sha256=digest)
