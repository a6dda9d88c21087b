"""What the public may see, and the staff preview of drafts.

The public site, the feed, the sitemap, the exports and the API show a row only when
it is published and so is everything it hangs on (coe_kz.records.required_paths): a
step needs its treaty or body, a citation its record and its source, a participation
its event and its person, another name its person. `public()` is that rule, written
once.

Staff with the model's view permission may preview a record's page as the public
will see it once published: the record's address with `?preview=1` shows it and the
drafts inside it, under a "Preview — not published" banner. Anyone else gets the
public page, and a 404 for a draft.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.cache import add_never_cache_headers

from coe_kz.models import Publication, Publishable, Rank
from coe_kz.records import PREVIEW_PARAM, required_paths

PUBLISHED = Publication.PUBLISHED


def public_q(model) -> Q:
    """The condition a row of `model` meets when the public may see it."""
    conditions = {f"{path}__publication": PUBLISHED for path in required_paths(model)}
    if issubclass(model, Publishable):
        conditions["publication"] = PUBLISHED
    return Q(**conditions)


def public(queryset):
    """The rows of `queryset` the public may see."""
    return queryset.filter(public_q(queryset.model))


def is_draft_expression(model) -> ExpressionWrapper:
    """A column that is true for a row the public cannot see yet (for a preview's marks)."""
    return ExpressionWrapper(~public_q(model), output_field=BooleanField())


def shown_rows(queryset, preview: bool):
    """Every row in a preview, else only those the public may see."""
    return queryset if preview else public(queryset)


def shown_or_none(record, preview: bool):
    """A record reached through a foreign key (already joined), or None when the page may
    not show it: a protocol's draft parent treaty, a draft source of a treaty's facts."""
    if record is None or preview or record.is_published:
        return record
    return None


def can_preview(request, model) -> bool:
    """Whether this request asks for, and may see, the preview of a `model` page. The
    user is looked at only when ?preview=1 is asked for, so public pages cost no query."""
    if request.GET.get(PREVIEW_PARAM) != "1":
        return False
    user = request.user
    opts = model._meta
    return user.is_active and user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def judge_shown_citations(steps) -> None:
    """In a preview, decide each step's `is_deprecated` from the citations the page shows
    (drafts included), as it will be decided once they are published. The database's
    answer counts published citations only. Steps must come with `citations` prefetched."""
    for step in steps:
        ranks = [citation.rank for citation in step.citations.all()]
        step.is_deprecated = bool(ranks) and all(rank == Rank.DEPRECATED for rank in ranks)


class PreviewMixin:
    """For a record's public page (a DetailView): only a record the public may see, unless
    staff ask for the preview. Sets `self.preview`, and `preview` in the context; build
    the page's other querysets with `shown_rows(..., self.preview)`."""

    preview = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.preview = can_preview(request, self.model)

    def get_queryset(self):
        return shown_rows(super().get_queryset(), self.preview)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.preview:
            # A draft must not linger in a shared cache or a browser's back history.
            add_never_cache_headers(response)
        return response
