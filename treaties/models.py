"""Council of Europe treaties and Kazakhstan's dated steps on each."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from coe_kz.dates import EDTFField, bound_fields, bounds_constraint
from coe_kz.history import CuratedHistory
from coe_kz.models import (
    CitationBase,
    DatedStepBase,
    HasDatedSteps,
    Publishable,
    RecordQuerySet,
    Source,
    publication_rules,
)
from coe_kz.text import SearchTextField

TREATY_OFFICE_URL = "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum={number}"


class TreatyKind(models.TextChoices):
    CONVENTION = "convention", _("Convention")
    PROTOCOL = "protocol", _("Protocol")
    AGREEMENT = "agreement", _("Agreement")


class TreatyStatus(models.TextChoices):
    NONE = "none", _("No step")
    INTERESTED = "interested", _("Interested")
    INVITED = "invited", _("Invited to accede")
    SIGNED = "signed", _("Signed")
    PARTY = "party", _("Party")
    DENOUNCED = "denounced", _("Denounced")


# Plain strings (the about page translates them as it shows them), marked for translation.
TREATY_STATUS_DEFINITIONS = {
    "none": gettext_noop("No step known: Kazakhstan has not signed, joined or been invited."),
    "interested": gettext_noop("Kazakhstan has stated an intention to join."),
    "invited": gettext_noop("Kazakhstan has received an invitation to accede, or is considering one."),
    "signed": gettext_noop("Kazakhstan has signed but is not yet bound."),
    "party": gettext_noop("Kazakhstan is bound: by ratification, accession, acceptance or approval."),
    "denounced": gettext_noop("Kazakhstan has denounced the treaty and is no longer bound."),
}


# The order steps normally come in, for coe_kz.status.order_problems: a step dated after
# a higher-ranked one (signed after party) is flagged to editors unless a DENOUNCED step
# lies between. Interest and invitation share a rank: sources report them in either
# order (a state may be invited before it says it is interested).
TREATY_PROGRESSION = {"none": 0, "interested": 1, "invited": 1, "signed": 2, "party": 3}
TREATY_RESET = TreatyStatus.DENOUNCED.value


class Consent(models.TextChoices):
    RATIFICATION = "ratification", _("Ratification")
    ACCESSION = "accession", _("Accession")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")


class Treaty(HasDatedSteps, Publishable):
    """A Council of Europe convention, protocol or agreement, keyed by its CETS/ETS number."""

    number = models.PositiveIntegerField(
        primary_key=True,
        # The Treaty Office numbers from 1 (ETS No. 1 is the Statute of the Council of Europe).
        validators=[MinValueValidator(1, "A CETS/ETS number is a whole number from 1.")],
        help_text=_("CETS/ETS number, the treaty's key in URLs and exports (for example 141)."),
    )
    title = models.CharField(
        max_length=300, help_text=_("Official English title as the Treaty Office gives it.")
    )
    short_title = models.CharField(
        max_length=120, blank=True, help_text=_("Common name, for example Istanbul Convention.")
    )
    kind = models.CharField(max_length=12, choices=TreatyKind.choices, default=TreatyKind.CONVENTION)
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # A protocol keeps its record if the treaty it amends is removed by mistake.
        on_delete=models.PROTECT,
        related_name="protocols",
        help_text=_("For a protocol: the treaty it amends or supplements."),
    )
    opened = EDTFField(blank=True, help_text=_("Opened for signature, as EDTF."))
    opened_earliest, opened_latest = bound_fields("opened", _("the opening date"))
    opened_place = models.CharField(
        max_length=100, blank=True, help_text=_("Where it was opened for signature.")
    )
    in_force = EDTFField(blank=True, help_text=_("General entry into force, as EDTF."))
    in_force_earliest, in_force_latest = bound_fields("in_force", _("the entry into force"))
    reference_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        # The treaty's own facts (title, opening) stay if their source record is removed.
        on_delete=models.SET_NULL,
        related_name="treaties_described",
        help_text=_("Where the title, opening and entry-into-force facts come from."),
    )
    note = models.TextField(blank=True)
    search_text = SearchTextField(of=["title", "short_title"])

    KIND = "treaty"
    STEP_ORDER = (TREATY_PROGRESSION, TREATY_RESET)
    objects = RecordQuerySet.as_manager()
    history = CuratedHistory()

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "treaties"
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="treaty_number_from_1",
                violation_error_message="A CETS/ETS number is a whole number from 1.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TreatyKind.values),
                name="treaty_kind_valid",
                violation_error_message="Kind must be convention, protocol or agreement.",
            ),
            models.CheckConstraint(
                condition=~Q(amends=models.F("number")),
                name="treaty_not_amending_itself",
                violation_error_message="A treaty cannot amend itself.",
            ),
            bounds_constraint("treaty", "opened"),
            bounds_constraint("treaty", "in_force"),
            publication_rules("treaty", "treaties")["constraint"],
        ]
        permissions = [publication_rules("treaty", "treaties")["permission"]]

    def __str__(self):
        return f"{self.label} {self.short_title or self.title}"

    def get_absolute_url(self):
        return reverse("treaties:detail", args=[self.number])

    @property
    def label(self) -> str:
        # Numbers from 194 on are CETS; earlier ones ETS (the Treaty Office's usage).
        return f"{'CETS' if self.number >= 194 else 'ETS'} No. {self.number}"

    @property
    def treaty_office_url(self) -> str:
        return TREATY_OFFICE_URL.format(number=self.number)


class TreatyStep(DatedStepBase):
    """One dated step of Kazakhstan on a treaty: interest, invitation, signature, consent."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(
        max_length=12, choices=TreatyStatus.choices, help_text=_("Kazakhstan's status from this step on.")
    )
    consent = models.CharField(
        max_length=12,
        choices=Consent.choices,
        blank=True,
        help_text=_("For party: how Kazakhstan consented to be bound; empty when no source says."),
    )
    entry_into_force = EDTFField(
        blank=True, help_text=_("For party: entry into force for Kazakhstan, as EDTF.")
    )
    entry_into_force_earliest, entry_into_force_latest = bound_fields(
        "entry_into_force", _("the entry into force")
    )

    BELONGS_TO = ("treaty",)
    history = CuratedHistory()

    class Meta(DatedStepBase.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TreatyStatus.values),
                name="treatystep_status_valid",
                violation_error_message="Unknown treaty status code.",
            ),
            models.CheckConstraint(
                condition=Q(consent="") | Q(status="party", consent__in=Consent.values),
                name="treatystep_consent_only_for_party",
                violation_error_message="A kind of consent belongs to a party step only.",
            ),
            models.CheckConstraint(
                condition=Q(entry_into_force="") | Q(status="party"),
                name="treatystep_entry_into_force_only_for_party",
                violation_error_message="An entry-into-force date belongs to a party step only.",
            ),
            bounds_constraint("treatystep", "date"),
            bounds_constraint("treatystep", "entry_into_force"),
            publication_rules("treatystep", "treaty steps")["constraint"],
        ]
        permissions = [publication_rules("treatystep", "treaty steps")["permission"]]

    def __str__(self):
        return f"{self.treaty.label}: {self.get_status_display()} ({self.date})"

    def get_absolute_url(self):
        return self.treaty.get_absolute_url()

    @property
    def record_label(self) -> str:
        return self.treaty.label


class TreatyStepCitation(CitationBase):
    record = models.ForeignKey(TreatyStep, on_delete=models.CASCADE, related_name="citations")

    RECORD_TYPE = "treaty_step"

    history = CuratedHistory()

    class Meta(CitationBase.Meta):
        constraints = CitationBase.constraints_for("treatystepcitation")
        permissions = [publication_rules("treatystepcitation", "citations")["permission"]]
