"""The parameter gate: what every public address does with its query string first.

A list page, its CSV twin, its API endpoint and its feed read the same parameters, so
they must answer the same input alike, and so must the site's other pages. Each passes
its query string through `gate()` before reading it: tracking parameters that
newsletters and social networks add (`utm_*`, `fbclid`, ...) are dropped, and any other
parameter the address does not take is refused, naming it and what the address takes.
Bad values are worded here too (a page number, a FilterSet's errors), so a problem
reads the same wherever it is met. Each channel then gives a refusal in its own format:
the 400 page lists the problems, a CSV answers one line of text, the API a JSON detail.
"""

from collections.abc import Iterable

from django.forms.forms import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from coe_kz import languages

TRACKING_PREFIX = "utm_"
TRACKING = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid"})
PAGE = "page"
# The language of an export's or the API's translated text columns (English when absent).
LANG = "lang"
# The most digits a page number or page size is read with: more than any list has pages
# or rows, far fewer than int() refuses to read (past 4,300 digits it raises ValueError).
MAX_DIGITS = 18


def quoted(name: str) -> str:
    """A parameter's name in the quotation marks of the page's language: “x”, «x»."""
    return pgettext("a parameter's name", "“%(name)s”") % {"name": name}


# What an address is, in a refusal: "this page takes: ...".
WHAT = {
    "page": pgettext_lazy("refusal", "this page"),
    "dataset": pgettext_lazy("refusal", "this dataset"),
    "file": pgettext_lazy("refusal", "this file"),
    "feed": pgettext_lazy("refusal", "this feed"),
    "record": pgettext_lazy("refusal", "this record"),
    "data package": pgettext_lazy("refusal", "this data package"),
}


class BadParameters(ValueError):
    """The query string asks for something that cannot be answered; `problems` says what,
    one sentence each (the 400 page lists them; a CSV or the API gives them on one line)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def is_tracking(name: str) -> bool:
    return name.startswith(TRACKING_PREFIX) or name in TRACKING


def gate(
    query: QueryDict, takes: Iterable[str] = (), *, also: Iterable[str] = (), what: str = "page"
) -> QueryDict:
    """A copy of `query` without tracking parameters, or BadParameters naming each other
    parameter that is neither one the address takes (`takes`, named in the refusal) nor
    one that every way of reading it takes alike (`also`: a list's page number, a CSV's
    bom, the API's page size, left unnamed so that the refusal reads the same on each)."""
    takes = tuple(takes)
    accepted = {*takes, *also}
    cleaned = query.copy()
    for name in [name for name in cleaned if is_tracking(name)]:
        del cleaned[name]
    unknown = [name for name in cleaned if name not in accepted]
    if unknown:
        words = {
            "names": ", ".join(quoted(name) for name in unknown),
            "what": WHAT.get(what) or f"this {what}",
            "takes": ", ".join(takes),
        }
        if takes:
            message = ngettext(
                "Unknown parameter %(names)s; %(what)s takes: %(takes)s.",
                "Unknown parameters %(names)s; %(what)s takes: %(takes)s.",
                len(unknown),
            )
        else:
            message = ngettext(
                "Unknown parameter %(names)s; %(what)s takes no parameters.",
                "Unknown parameters %(names)s; %(what)s takes no parameters.",
                len(unknown),
            )
        raise BadParameters([message % words])
    return cleaned


def list_gate(query: QueryDict, takes: Iterable[str], *also: str) -> QueryDict:
    """The gate of a list (a dataset), whichever channel reads it: the page, its CSV, its
    API endpoint, its feed. It takes its filters, its page number, and what the channel
    reads besides (`also`)."""
    return gate(query, takes, also=(PAGE, *also), what="dataset")


def whole_number(value: str) -> int | None:
    """`value` as a whole number from 0, or None when it is not one written in at most
    MAX_DIGITS ASCII digits ("²" is a digit to Python, and int() would read it)."""
    if value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS:
        return int(value)
    return None


def page_number(value: str | None) -> int:
    """The page a `page` parameter asks for (1 when it is absent), or BadParameters when
    it is not a whole number. Only a paginated list can say whether that page exists
    (coe_kz.listing.get_page)."""
    if value in (None, ""):
        return 1
    number = whole_number(value)
    if number is None:
        raise BadParameters(
            [
                _("%(page)s: “%(value)s” is not a page number; use a whole number from 1.")
                % {"page": PAGE, "value": value}
            ]
        )
    return number


def check_ignored_page(query: QueryDict) -> None:
    """For an address that holds every page of its list (a CSV, a feed, the status page):
    a page number is still checked, as a whole number from 1, then ignored."""
    value = query.get(PAGE)
    if page_number(value) < 1:
        raise BadParameters(
            [
                _("%(page)s: there is no page %(value)s; use a whole number from 1.")
                % {"page": PAGE, "value": value}
            ]
        )


def language_of(query: QueryDict) -> str:
    """The language a `lang` parameter asks for (English when it is absent), or
    BadParameters naming the languages there are."""
    value = query.get(LANG, "")
    if value == "":
        return languages.ORIGINAL
    if value not in languages.codes():
        allowed = ", ".join(languages.codes())
        raise BadParameters([f"{LANG}: “{value}” is not a language of the data; use one of: {allowed}."])
    return value


def form_problems(form) -> list[str]:
    """A form's errors as sentences naming the URL parameter: "kind: “x” is not one of: …"."""
    return [
        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
        for name, errors in form.errors.items()
        for message in errors
    ]


def filtered(filterset):
    """The rows a FilterSet selects, or BadParameters naming each value it refuses."""
    if not filterset.is_valid():
        raise BadParameters(form_problems(filterset.form))
    return filterset.qs
