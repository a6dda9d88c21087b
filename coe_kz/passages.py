"""A source's archived text: its paragraphs and sentences, and where a quote stands in it.

The one place that reads archived texts, for the quote rule (coe_kz.models), the
passages dataset, the source page and the admin:

- Paragraphs are the blocks between blank lines, numbered from 1, the headline (or a
  page's header line) being paragraph 1: the numbering citations have always used.
- Sentences are found in each paragraph by pysbd, with two adjustments it needs for
  these texts: a line break inside a paragraph is only a wrapped line, not the end of a
  sentence, and the sentences inside a long quotation of speech (“The first activity
  we had … in 2007 already. Then, we received …”) are sentences too, which pysbd would
  keep as one because they stand between quotation marks. Each paragraph is cut at the
  sentence starts pysbd finds, so every character belongs to one sentence.
- A quote stands in a text when it is a run of the text, ignoring differences of white
  space, of straight and typographic quotation marks and dashes, and of Latin letters
  and the Cyrillic letters that look the same (the 2018 page's title starts with a
  Cyrillic “С”): `fold`, the normalisation of ../shared/tools/check_quotes.py, without
  its case folding, since a quote is verbatim. "..." or "…" in a quote skips text: each
  piece must then stand in the text, in order.
"""

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

import pysbd

LOOKALIKE = str.maketrans("АВСЕНКМОРТХаеорсухі", "ABCEHKMOPTXaeopcyxi")
PUNCTUATION = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'} | {dash: "-" for dash in "‐‑‒–—―"}
)
ELLIPSIS = re.compile(r"\.\.\.|…")
# A blank line (spaces allowed on it) ends a paragraph; the white space after it too.
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# Hidden from pysbd, each by a space, so that it splits quoted speech into its sentences.
QUOTATION_MARKS = str.maketrans({mark: " " for mark in '"“”„«»'})
# A closest passage is built from runs of at least this many characters in common.
MATCHING_RUN = 4


def sha256_of(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, in hex: what `sha256sum` gives for its file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Folded:
    """A text as quotes are compared with it (see the module's docstring), with the
    place in the original text of each of its characters."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span of the folded characters start..end."""
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    """`text` folded character by character, runs of white space made one space."""
    chars, origin = [], []
    for at, char in enumerate(text):
        for folded in unicodedata.normalize("NFKD", char).translate(LOOKALIKE).translate(PUNCTUATION):
            if folded.isspace():
                if not chars or chars[-1] == " ":
                    continue
                folded = " "
            chars.append(folded)
            origin.append(at)
    return Folded("".join(chars), tuple(origin))


def quote_pieces(quote: str) -> list[str]:
    """The folded pieces of a quote that must stand in the text, in order."""
    return [piece for part in ELLIPSIS.split(quote) if (piece := fold(part).text.strip())]


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence: its paragraph, its number in that paragraph, and its place."""

    paragraph: int
    number: int
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return f"{self.paragraph}.{self.number}"


@dataclass(frozen=True)
class Found:
    """Where a quote stands: the original text's spans of its pieces, and the paragraph
    of its first piece (the paragraph a citation names)."""

    spans: tuple[tuple[int, int], ...]
    paragraph: int

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and e > start for s, e in self.spans)


@dataclass(frozen=True)
class Passage:
    """A run of the text, for showing an editor: its paragraph and its words."""

    paragraph: int
    text: str


_segmenter = pysbd.Segmenter(language="en", clean=False)


class ArchivedText:
    """A source's archived text, read: paragraphs, sentences, and quotes found in it.
    Built once per text and process (`archived`), since pysbd takes a while."""

    def __init__(self, text: str):
        self.text = text
        self.folded = fold(text)
        self.paragraphs = self._paragraphs()
        self.sentences = [s for paragraph in self.paragraphs for s in self._sentences(paragraph)]

    def _paragraphs(self) -> list[Paragraph]:
        spans, start = [], 0
        for gap in PARAGRAPH_BREAK.finditer(self.text):
            spans.append((start, gap.start()))
            start = gap.end()
        spans.append((start, len(self.text)))
        paragraphs = []
        for start, end in spans:
            body = self.text[start:end]
            if not body.strip():
                continue
            start += len(body) - len(body.lstrip())
            end -= len(body) - len(body.rstrip())
            paragraphs.append(Paragraph(len(paragraphs) + 1, start, end, self.text[start:end]))
        return paragraphs

    def _sentences(self, paragraph: Paragraph) -> list[Sentence]:
        flat = re.sub(r"\s", " ", paragraph.text).translate(QUOTATION_MARKS)
        starts, at = [], 0
        for segment in _segmenter.segment(flat):
            segment = segment.strip()
            if segment and (found := flat.find(segment, at)) >= 0:
                starts.append(found)
                at = found + len(segment)
        # The paragraph's opening quotation mark (hidden as a space) goes with its first sentence.
        starts = [0, *(s for s in starts if flat[:s].strip())]
        ends = [*starts[1:], len(paragraph.text)]
        sentences = []
        for start, end in zip(starts, ends, strict=True):
            body = paragraph.text[start:end].rstrip()
            sentences.append(
                Sentence(
                    paragraph.number,
                    len(sentences) + 1,
                    paragraph.start + start,
                    paragraph.start + start + len(body),
                    body,
                )
            )
        return sentences

    def paragraph_at(self, offset: int) -> int:
        return next(p.number for p in reversed(self.paragraphs) if p.start <= offset)

    def find(self, quote: str) -> Found | None:
        """Where `quote` stands in the text, or None. Each piece is first found as early as
        it can be, then moved as late as the next piece allows, so that a quote that skips
        text ("A ... B") spans the least text it can."""
        pieces = quote_pieces(quote)
        if not pieces:
            return None
        text, starts, at = self.folded.text, [], 0
        for piece in pieces:
            start = text.find(piece, at)
            if start < 0:
                return None
            starts.append(start)
            at = start + len(piece)
        for k in range(len(pieces) - 2, -1, -1):
            starts[k] = text.rfind(pieces[k], starts[k], starts[k + 1])
        ends = [start + len(piece) for start, piece in zip(starts, pieces, strict=True)]
        spans = tuple(self.folded.span(start, end) for start, end in zip(starts, ends, strict=True))
        return Found(spans, self.paragraph_at(spans[0][0]))

    def closest(self, quote: str) -> Passage | None:
        """The run of one paragraph that has most of `quote` in it, in order (difflib's
        matching blocks), from the first of those blocks to the last, in whole words."""
        wanted = " ".join(quote_pieces(quote))
        best, best_matched = None, 0
        for paragraph in self.paragraphs:
            folded = fold(paragraph.text)
            matcher = SequenceMatcher(None, folded.text, wanted, autojunk=False)
            blocks = [b for b in matcher.get_matching_blocks() if b.size >= min(MATCHING_RUN, len(wanted))]
            matched = sum(b.size for b in blocks)
            if matched > best_matched:
                start, end = folded.span(blocks[0].a, blocks[-1].a + blocks[-1].size)
                best, best_matched = (paragraph, start, end), matched
        if best is None:
            return None
        paragraph, start, end = best
        words = paragraph.text
        while start > 0 and not words[start - 1].isspace():
            start -= 1
        while end < len(words) and not words[end].isspace():
            end += 1
        return Passage(paragraph.number, words[start:end])

    def whole_sentences(self, found: Found) -> tuple[list[Sentence], list[Sentence]]:
        """The sentences a found passage holds entirely, and those it holds only part of.
        A sentence's opening and closing marks (quotation marks, its full stop) may be
        left out: only its words count."""
        held, cut = [], []
        for sentence in self.sentences:
            if not found.overlaps(sentence.start, sentence.end):
                continue
            start, end = _words(sentence)
            inside = any(s <= start and end <= e for s, e in found.spans)
            (held if inside else cut).append(sentence)
        return held, cut


def _words(sentence: Sentence) -> tuple[int, int]:
    """The span of a sentence from its first to its last letter or digit."""
    text = sentence.text
    first = next((i for i, c in enumerate(text) if c.isalnum()), 0)
    last = next((i for i in range(len(text) - 1, -1, -1) if text[i].isalnum()), len(text) - 1)
    return sentence.start + first, sentence.start + last + 1


@functools.lru_cache(maxsize=64)
def archived(text: str) -> ArchivedText:
    """The text, read once per process: sources are few and their texts never change."""
    return ArchivedText(text)


# --- Quoted passages marked ------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph: plain text, or (with `cited`) a quoted passage and what the
    quotes that cover it were given for."""

    text: str
    cited: tuple = ()


@dataclass(frozen=True)
class MarkedParagraph:
    number: int
    segments: tuple[Segment, ...]

    @property
    def is_cited(self) -> bool:
        return any(segment.cited for segment in self.segments)


def marked(text: str, cited: Iterable[tuple[object, str]]) -> list[MarkedParagraph]:
    """The paragraphs of `text` with each quoted passage set apart: `cited` gives (what
    to name it by, quote) per citation. Quotes that overlap make one passage, named by
    all of them, so a passage quoted for several records is shown once."""
    read = archived(text)
    spans = []
    for name, quote in cited:
        if found := read.find(quote):
            spans += [(start, end, name) for start, end in found.spans]
    spans.sort(key=lambda span: span[:2])
    paragraphs = []
    for paragraph in read.paragraphs:
        regions: list[list] = []  # [start, end, names], merged where quotes overlap
        for start, end, name in spans:
            start, end = max(start, paragraph.start), min(end, paragraph.end)
            if start >= end:
                continue
            if regions and start < regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], end)
                regions[-1][2].append(name)
            else:
                regions.append([start, end, [name]])
        segments, at = [], paragraph.start
        for start, end, names in regions:
            if start > at:
                segments.append(Segment(text[at:start]))
            segments.append(Segment(text[start:end], tuple(dict.fromkeys(names))))
            at = end
        if at < paragraph.end:
            segments.append(Segment(text[at : paragraph.end]))
        paragraphs.append(MarkedParagraph(paragraph.number, tuple(segments)))
    return paragraphs


# --- Every sentence accounted for -------------------------------------------------------


@dataclass(frozen=True)
class Accounted:
    """One sentence of a text, with the citations whose quotes overlap it (`cited_by`,
    what the caller gave for each) and the reasons of the set-asides that hold it."""

    sentence: Sentence
    cited_by: tuple
    set_aside: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return not self.cited_by and not self.set_aside


def account(text: str, cited: Iterable[tuple[object, str]], set_aside: Iterable[tuple[str, str]]):
    """Every sentence of `text`, with what accounts for it: `cited` gives (what to name
    it by, quote) per citation, `set_aside` (reason, passage) per set-aside. A quote
    that is not in the text accounts for nothing (the quote rule refuses it anyway)."""
    read = archived(text)
    cited_by: dict[int, list] = {}
    reasons: dict[int, list[str]] = {}
    places = {s.start: i for i, s in enumerate(read.sentences)}
    for name, quote in cited:
        if found := read.find(quote):
            for sentence in read.sentences:
                if found.overlaps(sentence.start, sentence.end):
                    cited_by.setdefault(places[sentence.start], []).append(name)
    for reason, passage in set_aside:
        if found := read.find(passage):
            for sentence in read.whole_sentences(found)[0]:
                reasons.setdefault(places[sentence.start], []).append(reason)
    return [
        Accounted(
            sentence,
            tuple(dict.fromkeys(cited_by.get(i, ()))),
            tuple(dict.fromkeys(reasons.get(i, ()))),
        )
        for i, sentence in enumerate(read.sentences)
    ]


# --- The quote rule -----------------------------------------------------------------------

NOT_FOUND = (
    "This is not in the archived text of “{title}”. The closest passage, in paragraph {paragraph}: "
    "“{passage}”. Copy the words from the text (spacing, quotation marks and dashes may differ; "
    'use "..." to skip words).'
)
NOT_FOUND_AT_ALL = "This is not in the archived text of “{title}”, and nothing in it comes close."
CUTS_SENTENCES = (
    "A passage set aside is one or more whole sentences; this one holds only part of {labels}: "
    "set aside the whole sentence, or cite it on the record whose fact it states."
)


def not_found_message(read: ArchivedText, title: str, quote: str) -> str:
    passage = read.closest(quote)
    if passage is None:
        return NOT_FOUND_AT_ALL.format(title=title)
    return NOT_FOUND.format(title=title, paragraph=passage.paragraph, passage=passage.text)
