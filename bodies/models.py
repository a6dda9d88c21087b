"""Council of Europe bodies and partial agreements, and Kazakhstan's standing in each."""

import re

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from coe_kz.dates import bounds_constraint
from coe_kz.history import CuratedHistory
from coe_kz.models import (
    CitationBase,
    DatedStepBase,
    HasDatedSteps,
    Publishable,
    RecordQuerySet,
    publication_rules,
)
from coe_kz.text import SearchTextField

# "European Commission for Democracy through Law (Venice Commission)": the name people use.
NAME_IN_BRACKETS = re.compile(r"\(([^()]+)\)\s*$")


class BodyKind(models.TextChoices):
    PARTIAL_AGREEMENT = "partial_agreement", _("Partial agreement")
    ENLARGED_PARTIAL_AGREEMENT = "enlarged_partial_agreement", _("Enlarged partial agreement")
    COMMITTEE = "committee", _("Committee")
    ASSEMBLY = "assembly", _("Assembly")
    COMMISSION = "commission", _("Commission")
    OFFICE = "office", _("Office")
    GROUP = "group", _("Group")
    OTHER = "other", _("Other")


class Standing(models.TextChoices):
    NONE = "none", _("No standing")
    COOPERATION = "cooperation", _("Cooperation")
    APPLICANT = "applicant", _("Applicant")
    OBSERVER = "observer", _("Observer")
    MEMBER = "member", _("Member")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Plain strings (the about page translates them as it shows them), marked for translation.
STANDING_DEFINITIONS = {
    "none": gettext_noop("No standing known."),
    "cooperation": gettext_noop("Formal cooperation short of joining, such as a cooperation agreement."),
    "applicant": gettext_noop("Kazakhstan has applied to join."),
    "observer": gettext_noop("Kazakhstan holds observer status."),
    "member": gettext_noop("Kazakhstan is a member (or participant) with full rights."),
    "withdrawn": gettext_noop("Kazakhstan has left and is no longer a member."),
}


# The order standings normally come in, for coe_kz.status.order_problems: a standing
# dated after a higher-ranked one (applicant after member) is flagged to editors unless
# a WITHDRAWN standing lies between. Applicant and observer share a rank: a state may
# observe a body before applying to it, or apply first and observe while it waits.
STANDING_PROGRESSION = {"none": 0, "cooperation": 1, "applicant": 2, "observer": 2, "member": 3}
STANDING_RESET = Standing.WITHDRAWN.value


class Body(HasDatedSteps, Publishable):
    """A Council of Europe body or partial agreement, keyed by a lowercase slug."""

    slug = models.SlugField(
        primary_key=True,
        max_length=60,
        help_text=_("Key in URLs and exports: the acronym where there is one (greco), else a short name."),
    )
    name = models.CharField(max_length=300)
    acronym = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=30, choices=BodyKind.choices, default=BodyKind.OTHER)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # A sub-body keeps its record (and history) if its parent is removed by mistake.
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The body this one belongs to, for example the Committee of Ministers for GR-EXT."),
    )
    note = models.TextField(blank=True)
    search_text = SearchTextField(of=["name", "acronym", "slug"])

    STEPS = "standings"
    KIND = "body"
    STEP_ORDER = (STANDING_PROGRESSION, STANDING_RESET)
    objects = RecordQuerySet.as_manager()
    history = CuratedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BodyKind.values),
                name="body_kind_valid",
                violation_error_message="Unknown kind of body.",
            ),
            models.CheckConstraint(
                condition=Q(slug__regex=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                name="body_slug_lowercase",
                violation_error_message="A body's key is lowercase letters and digits joined by hyphens.",
            ),
            publication_rules("body", "bodies")["constraint"],
        ]
        permissions = [publication_rules("body", "bodies")["permission"]]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("bodies:detail", args=[self.slug])

    @property
    def short_name(self) -> str:
        """The body in a few words, for tags: its acronym, else the short name its full name
        gives in brackets ("Venice Commission"), else its name."""
        if self.acronym:
            return self.acronym
        match = NAME_IN_BRACKETS.search(self.name)
        return match[1] if match else self.name

    @property
    def is_partial_agreement(self) -> bool:
        return self.kind in (BodyKind.PARTIAL_AGREEMENT, BodyKind.ENLARGED_PARTIAL_AGREEMENT)


class BodyStanding(DatedStepBase):
    """One dated change of Kazakhstan's standing in a body."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="standings")
    status = models.CharField(
        max_length=12, choices=Standing.choices, help_text=_("Kazakhstan's standing from this step on.")
    )

    BELONGS_TO = ("body",)
    history = CuratedHistory()

    class Meta(DatedStepBase.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Standing.values),
                name="bodystanding_status_valid",
                violation_error_message="Unknown standing code.",
            ),
            bounds_constraint("bodystanding", "date"),
            publication_rules("bodystanding", "body standings")["constraint"],
        ]
        permissions = [publication_rules("bodystanding", "body standings")["permission"]]

    def __str__(self):
        return f"{self.body}: {self.get_status_display()} ({self.date})"

    def get_absolute_url(self):
        return self.body.get_absolute_url()

    @property
    def record_label(self) -> str:
        return self.body.acronym or self.body.name


class BodyStandingCitation(CitationBase):
    record = models.ForeignKey(BodyStanding, on_delete=models.CASCADE, related_name="citations")

    RECORD_TYPE = "body_standing"

    history = CuratedHistory()

    class Meta(CitationBase.Meta):
        constraints = CitationBase.constraints_for("bodystandingcitation")
        permissions = [publication_rules("bodystandingcitation", "citations")["permission"]]
