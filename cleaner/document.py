"""A decoded text split into lines with offsets and the features rules look at.

Everything a rule kind needs about a line is computed once here, so kinds stay small and a
document costs one pass of feature extraction whatever the size of the rule pack.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
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
    """One line and its features. A named tuple, not a dataclass: documents make millions of them,
    and a tuple is built several times faster."""

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
    text: str
    lines: list[Line] = field(init=False)

    def __post_init__(self) -> None:
        self.lines, self._base_scores = _lines(self.text)
        self._cores: dict[str | None, tuple[int, int] | None] = {}
        self._teasers: dict[tuple[int, int], list[int]] = {}
        self._tables: dict[int, list[tuple[int, int]]] = {}

    @cached_property
    def prose_indexes(self) -> list[int]:
        return [line.index for line in self.lines if line.is_prose]

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
        scores = list(self._base_scores)
        lines = self.lines
        if not_core is not None:
            for index, _, _ in search_lines(self, not_core):
                if lines[index].plain:
                    scores[index] = -CORE_GAP_COST
        if boundary is not None:  # a boundary line's cost wins over not_core's, as in the per-line order
            cost = -max(boundary_cost, CORE_GAP_COST)
            for index in fullmatch_lines(self, boundary):
                if lines[index].plain and lines[index].n_words <= BOUNDARY_MAX_WORDS:
                    scores[index] = cost
        if teaser is not None:
            for index in self.teaser_summaries(*teaser):
                scores[index] = -CORE_GAP_COST
        best, best_span = 0.0, None
        total, run_start = 0.0, None
        for index, score in enumerate(scores):
            if score is None:
                continue
            if run_start is None or total <= 0:
                if score <= 0:
                    continue
                total, run_start = 0.0, index
            total += score
            if total > best:
                best, best_span = total, (run_start, index)
        if best_span is None:
            prose = self.prose_indexes
            core = (prose[0], prose[-1]) if prose else None
        else:
            first, last = _extend(scores, *best_span)
            prose = [i for i in self.prose_indexes if first <= i <= last and scores[i] > 0]
            core = (prose[0], prose[-1]) if prose else (first, last)
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
            self._tables[min_rows] = sorted(self._find_tables(min_rows) + self._pipe_tables(min_rows))
        return list(self._tables[min_rows])

    def _pipe_tables(self, min_rows: int) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        run: list[Line] = []
        for line in [*self.lines, None]:
            if line is not None and _pipe_row(line.text.strip()):
                run.append(line)
                continue
            if sum(1 for row in run if _LETTER.search(row.text)) >= min_rows:
                found.append((run[0].index, run[-1].index))
            run = []
        return found

    def _find_tables(self, min_rows: int) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        run: list[Line] = []

        def close() -> None:
            if len(run) >= min_rows and _gutter(run):
                found.append((run[0].index, run[-1].index))

        for line in self.lines:
            if line.is_blank:
                continue
            if "  " in line.text.strip() and _TABLE_ROW.search(line.text) and _LETTER.search(line.plain):
                if run and line.index != run[-1].index + 1:  # a blank line between: another block
                    close()
                    run = []
                run.append(line)
                continue
            close()
            run = []
        close()
        return found

    def teaser_summaries(self, min_units: int, max_words: int, glued_run: int = 0) -> list[int]:
        """Prose lines that are the summaries of a teaser list: a short headline (one or a few short
        lines) then one prose paragraph of at most `max_words`, then the next headline, repeated at
        least `min_units` times. Each summary alone reads as prose; the repetition shows the list, and
        an article's sections seldom hold one short paragraph each, several times in a row.
        With `glued_run`, also runs of at least that many successive lines that each hold a headline
        glued to its summary (see glued_teasers)."""
        key = (min_units, max_words, glued_run)
        if key not in self._teasers:
            found = self._find_teaser_summaries(min_units, max_words)
            if glued_run:
                found = sorted(set(found) | set(self.glued_teasers(glued_run)))
            self._teasers[key] = found
        return list(self._teasers[key])

    def glued_teasers(self, min_run: int) -> list[int]:
        """Prose lines in runs of at least `min_run` successive lines (no blank line between) that each
        hold a headline glued to its summary, as a menu of teasers renders without markup between
        them: "...Death Of Student-AthleteA 24-year-old woman was...". The glue is a word run into a
        capitalised one after at least GLUED_MIN_HEADLINE_WORDS words, with a sentence after it; a glued
        pair the page prints again (a brand written in camel case) is no glue."""
        # Lines with a glue that passes every check but the page count first: most pages have no run
        # of them, and then the page-wide count (a regex over every line) is not needed.
        candidates = [line for line in self.lines if line.is_prose and _glued(line.plain, None)]
        if not _runs([line.index for line in candidates], min_run):
            return []
        counts = self._joint_counts
        return _runs([line.index for line in candidates if _glued(line.plain, counts)], min_run)

    @cached_property
    def _joint_counts(self) -> Counter:
        """How often the page prints each word up to a capital run into it ("Student-AthleteA",
        "LinkedI"), counted in one pass over the lines: counting each glued pair in the whole text
        would cost a pass per line on a long document."""
        counts: Counter = Counter()
        for line in self.lines:
            plain = line.plain
            for joint in _JOINT.finditer(plain):
                end = joint.end()
                word = plain[max(end - _MAX_JOINED_CHARS, 0):end].rsplit(" ", 1)[-1]
                counts[word.lstrip(_OPENERS)] += 1
        return counts

    def _find_teaser_summaries(self, min_units: int, max_words: int) -> list[int]:
        content = [line for line in self.lines if not line.is_blank]

        def headline(position: int) -> bool:
            line = content[position] if 0 <= position < len(content) else None
            return line is not None and not line.is_prose and line.n_words <= BOUNDARY_MAX_WORDS

        def numbered(run: list[int]) -> bool:
            # "3. Name", "Bild 3 von 10", "2 / 5": a numbered list or a slideshow is the article's own.
            numbers = []
            for position in run:
                block = content[max(position - TEASER_MAX_HEADLINE_LINES, 0):position]
                found_number = next((m.group() for line in reversed(block) for m in [_NUMBER.search(line.plain)] if m), None)
                numbers.append(int(found_number) if found_number else None)
            steps = sum(1 for a, b in zip(numbers, numbers[1:]) if a is not None and b == a + 1)
            return steps * 2 >= len(run) - 1

        found: list[int] = []
        run: list[int] = []  # positions in `content` of the current run's summaries

        def close() -> None:
            if len(run) >= min_units and not numbered(run):
                found.extend(content[p].index for p in run)

        for position, line in enumerate(content):
            if not line.is_prose:
                continue
            unit = (line.n_words <= max_words and headline(position - 1)
                    and (headline(position + 1) or position + 1 == len(content)))
            # Units chain when only headline lines, at most TEASER_MAX_HEADLINE_LINES, lie between them.
            if unit and run and position - run[-1] - 1 <= TEASER_MAX_HEADLINE_LINES:
                run.append(position)
                continue
            close()
            run = [position] if unit else []
        close()
        return found

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

    def next_content(self, index: int) -> int | None:
        """Index of the first non-blank line after `index`."""
        lines = self.lines
        for following in range(index + 1, len(lines)):  # not a slice: that copies the rest of the document
            if lines[following].plain:
                return following
        return None

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets covering lines first..last inclusive."""
        return self.lines[first].start, self.lines[last].end


# Core scoring: a prose line brings its words beyond CORE_BASE_WORDS (at least a little); any other
# content line costs CORE_GAP_COST. A short teaser summary thus barely counts, a paragraph counts a lot.
CORE_BASE_WORDS = 12
CORE_GAP_COST = 4.0
BOUNDARY_MAX_WORDS = 12  # a furniture label is short; a sentence naming "Facebook" is not one
CORE_GAP_TOLERANCE = 12.0
# A teaser's headline block: a kicker, a title, a date line, a "read more" link.
TEASER_MAX_HEADLINE_LINES = 4
_NUMBER = re.compile(r"\b\d{1,3}\b")


# A headline glued to its teaser's first word: a lower-case word (or a number) run into a capitalised
# word, without a space.
_GLUE = re.compile(r"(?:[^\W\d_A-ZÀ-ÖØ-Þ]{2}|\d)[?!’”\"')]?([A-ZÀ-ÖØ-Þ][^\W\d_A-ZÀ-ÖØ-Þ]*)\s")
GLUED_MIN_HEADLINE_WORDS = 3
GLUED_MIN_SUMMARY_WORDS = 5


# Any lower-case letter or digit (with a closing mark) run into a capital, and how far back a word
# up to one is read: a longer run is no word.
_JOINT = re.compile(r"(?:[^\W\d_A-ZÀ-ÖØ-Þ]|\d)[?!’”\"')]?[A-ZÀ-ÖØ-Þ]")
_MAX_JOINED_CHARS = 100
_OPENERS = "([{\"'“‘«„*_"


def _glued(plain: str, joint_counts: Counter | None) -> bool:
    """Whether the line holds a headline glued to its summary; with `joint_counts` None, whether it
    would if the page printed the glued pair only there."""
    for match in _GLUE.finditer(plain):
        cut = match.start(1)
        head = plain[:cut]
        if len(head.split()) < GLUED_MIN_HEADLINE_WORDS or len(plain[cut:].split()) < GLUED_MIN_SUMMARY_WORDS:
            continue
        if joint_counts is None:
            return True
        pair = plain[head.rfind(" ") + 1:cut + 1].lstrip(_OPENERS)  # "AthleteA", "LinkedI"
        if joint_counts[pair] == 1:
            return True
    return False


def _runs(indexes: list[int], min_run: int) -> list[int]:
    """The indexes (ascending) in runs of at least `min_run` successive ones."""
    found: list[int] = []
    run: list[int] = []
    for index in [*indexes, None]:
        if run and index == run[-1] + 1:
            run.append(index)
            continue
        if len(run) >= min_run:
            found.extend(run)
        run = [index] if index is not None else []
    return found


def _pipe_row(text: str) -> bool:
    """A Markdown table row: two cells at least between bars, "| a | b |" (a rule "|---|---|" too)."""
    return text.startswith("|") and text.endswith("|") and text.count("|") >= 3


# A table row: two cells at least, two or more spaces apart.
_TABLE_ROW = re.compile(r"\S {2,}\S")
_LETTER = re.compile(r"[^\W\d_]")


def _gutter(rows: list[Line]) -> bool:
    """Whether a column of spaces runs through every row between its first and last cell."""
    texts = [line.text.expandtabs() for line in rows]
    spans = [(len(t) - len(t.lstrip()), len(t.rstrip())) for t in texts]
    low, high = max(start for start, _ in spans), min(end for _, end in spans)
    return any(all(t[p] == " " for t in texts) for p in range(low + 1, high - 1))


def _extend(scores: list[float | None], first: int, last: int) -> tuple[int, int]:
    """Grow the core over a short gap (an ingredient list, a few subheadings) to more prose beyond.

    The maximum-sum run drops a paragraph whose gain falls just short of the gap before it; an
    article interrupted by a list loses its opening that way. A prose line joins when the gap and
    the prose up to it cost at most CORE_GAP_TOLERANCE.
    """
    for step in (-1, 1):
        edge = first if step < 0 else last
        total, index = 0.0, edge + step
        while 0 <= index < len(scores):
            score = scores[index]
            if score is not None:
                total += score
                if total < -CORE_GAP_TOLERANCE - 4 * CORE_GAP_COST:
                    break  # a long gap: give up early, most pages have a menu or a footer here
                if score > 0 and total >= -CORE_GAP_TOLERANCE:
                    edge, total = index, 0.0
            index += step
        if step < 0:
            first = edge
        else:
            last = edge
    return first, last


def _lines(text: str) -> tuple[list[Line], list[float | None]]:
    """The lines of `text` and their core scores (None for a blank line), from the Rust engine's
    document_lines. A lone surrogate is U+FFFD to it (see native_text), and so in a line's text here."""
    text = native_text(text)
    lines, scores = [], []
    for index, (start, end, plain, n_words, paragraph, prose, score) in enumerate(_engine.document_lines(text)):
        raw = text[start:end]
        if plain is None:  # the line as it is
            plain = raw
        lines.append(Line(index, start, end, raw, plain, plain.casefold() if plain else plain, n_words, paragraph, prose))
        scores.append(score)
    return lines, scores
