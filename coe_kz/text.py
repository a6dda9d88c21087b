"""Search that ignores case, accents and script, the same on SQLite and PostgreSQL.

Neither database can be trusted to fold text the way a reader expects: SQLite's LIKE
folds ASCII letters only ("björn" does not find "Björn"), and PostgreSQL's `unaccent`
extension may not be installed. So each searchable model keeps a copy of the text its
search reads, folded by `fold()` (lowercase, no accents), in a `SearchTextField` filled
on every save, fixtures included; a search folds its query the same way and matches
that column with a plain `contains` (`matches_text`).

The copy holds a translated field in every language (a person's name as the English,
Kazakh and Russian texts give it), and each text's `skeleton()` too: its Latin
transliteration, by the rule table below, with spellings that differ between scripts
made alike. A query matches either way, so "Василенко" finds Roman Vassilenko (by his
Russian name, or else by the skeleton "vasilenko" both spellings share), and "Vassilenko"
finds him whatever the page's language.
"""

import re
import unicodedata

from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver

from coe_kz.languages import codes, localized, translated_fields

# Letters with no Unicode decomposition into a base letter and a mark (Bjørn, Łukasz).
UNDECOMPOSABLE = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """`text` casefolded, compatibility-decomposed and without combining marks:
    "BJÖRN", "Björn" and "bjorn" all become "bjorn"; "Xuclà" becomes "xucla"."""
    # Decomposed before casefolding too, so that compatibility forms fold as well (№ is No).
    folded = unicodedata.normalize("NFKD", text).casefold().translate(UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Russian and Kazakh Cyrillic in Latin letters, after BGN/PCGN's romanisation of Russian
# (with й, ы as "y", ё as "yo", the hard and soft signs dropped) and the 2021 Kazakh
# Latin alphabet's base letters for Kazakh's own (ә a, ғ g, қ k, ң n, ө o, ұ ү u, һ h,
# і i). Applied to casefolded text before its accents are folded away (which would make
# й an и and ё an е), so lowercase letters only.
CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
        "һ": "h", "і": "i",
    }
)  # fmt: skip
# Then the spellings that one name takes in Latin and in Cyrillic letters made alike, in
# this order: "kh" and "h" (Khabar, Хабар), "ph" and "f", "th" and "t" (Thorbjørn,
# Торбьёрн), "w" and "v", "x" and "ks", "y", "j" and "i" (Jagland, Ягланд), "ie" and "e"
# (Yerlan, Ерлан); finally a doubled letter reads as one (Vassilenko, Василенко).
SKELETON_RULES = (("kh", "h"), ("ph", "f"), ("th", "t"), ("w", "v"), ("x", "ks"), ("y", "i"), ("j", "i"))
SKELETON_LAST = (("ie", "e"),)
DOUBLED = re.compile(r"([a-z])\1+")


def transliterate(text: str) -> str:
    """`text` folded, its Cyrillic letters in Latin ones (CYRILLIC_TO_LATIN), other
    letters folded as `fold` folds them: "Ерлан Қарин" is "erlan karin"."""
    return fold(unicodedata.normalize("NFC", text).casefold().translate(CYRILLIC_TO_LATIN))


def skeleton(text: str) -> str:
    """What a name has in common in Latin and Cyrillic letters: folded, transliterated,
    and with the spellings SKELETON_RULES names made alike: "Vassilenko" and "Василенко"
    are both "vasilenko", "Thorbjørn" and "Торбьёрн" both "torbiorn"."""
    latin = transliterate(text)
    for rules in (SKELETON_RULES, SKELETON_LAST):
        for spelling, common in rules:
            latin = latin.replace(spelling, common)
    return DOUBLED.sub(r"\1", latin)


def matches_text(value: str, column: str = "search_text") -> Q:
    """Rows whose search text (`column`, a SearchTextField, or one reached through a
    relation) holds `value` folded, or its skeleton."""
    match = Q(**{f"{column}__contains": fold(value)})
    if (common := skeleton(value)) and common != fold(value):
        match |= Q(**{f"{column}__contains": common})
    return match


class SearchTextField(models.TextField):
    """The folded text of the model's fields named in `of`, one per line, for search
    only: not editable, so no admin form or import shows it. Filled on save."""

    def __init__(self, *args, of=(), **kwargs):
        self.of = tuple(of)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault(
            "help_text",
            "What search matches: the searched fields, lowercase and without accents. Computed on save.",
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = list(self.of)
        return name, path, args, kwargs


def search_text_fields(model: type[models.Model]) -> list[SearchTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, SearchTextField)]


def searched_texts(instance: models.Model, name: str) -> list[str]:
    """The texts of field `name` search reads: a translated field's in every language
    (English first), another field's value."""
    if name in translated_fields(type(instance)):
        return [getattr(instance, localized(name, code)) or "" for code in codes()]
    return [getattr(instance, name) or ""]


def fill_search_text(instance: models.Model) -> None:
    """Each searched field's English (or only) text folded, one per line, in the order the
    field names them; then the other languages' texts and every text's skeleton, each once."""
    for field in search_text_fields(type(instance)):
        texts = [searched_texts(instance, name) for name in field.of]
        first = [fold(str(values[0])) for values in texts]
        more = [fold(str(value)) for values in texts for value in values[1:] if value]
        more += [skeleton(str(value)) for values in texts for value in values if value]
        more = [line for line in dict.fromkeys(more) if line not in first]
        setattr(instance, field.attname, "\n".join(first + more))


@receiver(pre_save, dispatch_uid="coe_kz.fill_search_text")
def fill_search_text_on_save(sender, instance, raw=False, **kwargs):
    """Fold the searched fields before a row is written, loaddata included (pre_save is
    the one hook a raw fixture save still sends)."""
    fill_search_text(instance)


def refill_search_text(*labels: str):
    """A RunPython function for the migration that adds a model's search column: folds
    the text of the rows already there."""

    def forwards(apps, schema_editor):
        for label in labels:
            model = apps.get_model(label)
            rows = list(model._base_manager.all())
            for row in rows:
                fill_search_text(row)
            names = [f.name for f in search_text_fields(model)]
            model._base_manager.bulk_update(rows, names, batch_size=500)

    return forwards
