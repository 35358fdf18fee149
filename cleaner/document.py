"""A decoded text split into lines with offsets and the features rules look at.

The Rust engine computes them (src/document.rs), once per document and pass, whatever the size of the
rule pack, and answers the page analyses (src/page.rs); this module is their Python face: the Line
tuples for the tools that read lines, and the core, table and teaser queries with their caches.
"""
from __future__ import annotations

import re
from dataclasses import InitVar, dataclass
from functools import cached_property
from typing import NamedTuple

from .matching import fullmatch_lines, search_lines
from .native import engine as _engine, native_text

_WORD = re.compile(r"\w+")
# German quotations close with “ « ‘ (and French single ones with ›): „So.“ »So.« ‚So.‘
_SENTENCE_END = tuple('.!?…:;"”“»«‘›‹\'’)。！？」』）')


def plain_text(text: str) -> str:
    """The line as a reader sees it: whitespace folded, invisible characters, Markdown decoration and link
    targets gone (src/document.rs, which also counts its words and tells prose)."""
    return _engine.plain_text(native_text(text))


def words(text: str) -> list[str]:
    """Word tokens as the accounting invariant and the metrics count them."""
    return _WORD.findall(text)


def word_matches(text: str):
    """The word tokens of words(), as an iterator of matches (to count a few without listing all)."""
    return _WORD.finditer(text)


class Line(NamedTuple):
    """One line and its features, as the Rust engine computed them. A named tuple, not a dataclass:
    a tuple is built several times faster."""

    index: int
    start: int  # offset of the first character in the document text
    end: int  # offset just past the last character, line break excluded
    text: str
    plain: str  # see plain_text()
    key: str  # plain, casefolded: what literal phrases are compared with
    n_words: int
    paragraph: int  # index of the blank-line separated block; -1 for blank lines
    is_prose: bool  # a sentence of enough words, or a long run of them (src/document.rs's reads_as_prose)

    @property
    def is_blank(self) -> bool:
        return not self.plain

    @property
    def ends_sentence(self) -> bool:
        return self.plain.endswith(_SENTENCE_END)


@dataclass
class Document:
    """A text's lines: the Rust engine's NativeDocument (`native`), which the rules run on, and the
    same lines as Python tuples (`lines`), made on first use, for the tools that read them (learn,
    explain, the rule examples' checks, tests)."""

    text: str
    # The NativeDocument of `text`, when made already (render's Rendered.document: a pass's output
    # keeps the features of the input lines it keeps whole); made from the text when None.
    native: InitVar[object] = None

    def __post_init__(self, native) -> None:
        self.native = native if native is not None else _engine.NativeDocument(native_text(self.text))
        self._cores: dict[str | None, tuple[int, int] | None] = {}
        self._teasers: dict[tuple[int, int], list[int]] = {}
        self._tables: dict[int, list[tuple[int, int]]] = {}

    @cached_property
    def lines(self) -> list[Line]:
        return _lines(self.native, self.text)

    @cached_property
    def core(self) -> tuple[int, int] | None:
        """First and last line index of the article core: the densest run of prose.

        Whole scraped pages hold prose outside the article too (a teaser's summary, a footer's "about
        us"), so the core is not simply first-to-last prose line. Each content line scores: prose by
        its length beyond a short sentence, every other line a small cost; the core is the run with
        the highest total (a maximum-sum segment), grown over short gaps to more prose and trimmed to
        prose at both ends. Subheadings and lists inside an article cost less than its paragraphs
        bring, while a menu or teaser list between the article and an outlying paragraph costs more.
        """
        return self.core_excluding(None)

    def core_excluding(self, not_core=None, boundary=None, boundary_cost: float = 0.0,
                       teaser: tuple[int, int] | None = None) -> tuple[int, int] | None:
        """The core as above, with lines matching the regex `not_core` (searched in the plain line)
        scored as gaps: a rule can tell that a long cookie or consent notice is not the article. Lines
        matching `boundary` in full (page-furniture labels: Share, Home, Comments) cost `boundary_cost`:
        an article rarely holds them, so the core seldom runs across one into teasers or comments.
        `teaser` = (min_units, max_words[, glued_run]): summaries of a teaser list (see teaser_summaries)
        are gaps."""
        key = (getattr(not_core, "pattern", None), getattr(boundary, "pattern", None), boundary_cost, teaser)
        if key == (None, None, 0.0, None):
            key = None
        if key in self._cores:
            return self._cores[key]
        not_core_lines = [] if not_core is None else [index for index, _, _ in search_lines(self, not_core)]
        boundary_lines = [] if boundary is None else fullmatch_lines(self, boundary)
        teaser_lines = [] if teaser is None else self.teaser_summaries(*teaser)
        core = self.native.core(not_core_lines, boundary_lines, float(boundary_cost), teaser_lines)
        self._cores[key] = core
        return core

    def tables(self, min_rows: int) -> list[tuple[int, int]]:
        """First and last line index of each table as a plain-text renderer lays one out: at least
        `min_rows` successive lines of cells two or more spaces apart, with a letter in each (a calendar
        widget's rows of day numbers are no table of an article), and a gutter, a column of spaces
        between cells, through every row (the columns line up). Or as Markdown writes one (an
        extractor's output: "| 125 g | flour |"): successive rows of two cells or more between bars,
        at least `min_rows` of them with a letter (its "|---|---|" rules are rows of the table too)."""
        if min_rows not in self._tables:
            self._tables[min_rows] = self.native.tables(min_rows)
        return list(self._tables[min_rows])

    def teaser_summaries(self, min_units: int, max_words: int, glued_run: int = 0) -> list[int]:
        """Prose lines that are the summaries of a teaser list: a short headline (one or a few short
        lines) then one prose paragraph of at most `max_words`, then the next headline, repeated at
        least `min_units` times. Each summary alone reads as prose; the repetition shows the list, and
        an article's sections seldom hold one short paragraph each, several times in a row.
        With `glued_run`, also runs of at least that many successive lines that each hold a headline
        glued to its summary (see glued_teasers)."""
        key = (min_units, max_words, glued_run)
        if key not in self._teasers:
            self._teasers[key] = self.native.teaser_summaries(min_units, max_words, glued_run)
        return list(self._teasers[key])

    def glued_teasers(self, min_run: int) -> list[int]:
        """Prose lines in runs of at least `min_run` successive lines (no blank line between) that each
        hold a headline glued to its summary, as a menu of teasers renders without markup between
        them: "...Death Of Student-AthleteA 24-year-old woman was...". The glue is a word run into a
        capitalised one after at least three words, with a sentence of five after it; a glued pair the
        page prints again (a brand written in camel case) is no glue."""
        return self.native.glued_teasers(min_run)

    def zone(self, index: int) -> str:
        """'head' before the core, 'tail' after it, 'body' inside; a document without prose is all body."""
        core = self.core
        if core is None:
            return "body"
        if index < core[0]:
            return "head"
        if index > core[1]:
            return "tail"
        return "body"


def _lines(native, text: str) -> list[Line]:
    """The Line tuples of a NativeDocument of `text`. A lone surrogate is U+FFFD to it (see native_text),
    and so in a line's text here."""
    text = native_text(text)
    lines = []
    for index, (start, end, plain, key, n_words, paragraph, prose) in enumerate(native.lines()):
        raw = text[start:end]
        if plain is None:  # the line as it is
            plain = raw
        lines.append(Line(index, start, end, raw, plain, plain if key is None else key, n_words, paragraph, prose))
    return lines
