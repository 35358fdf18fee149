"""A decoded text split into lines with offsets and the features rules look at.

Everything a rule kind needs about a line is computed once here, so kinds stay small and a
document costs one pass of feature extraction whatever the size of the rule pack.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, islice
from typing import NamedTuple

from .matching import fullmatch_lines, search_lines

# Line terminators we split on; offsets exclude them. \r\n first so it counts as one break.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"\w+")
# Markdown decoration scrapers leave around a line: headings, quotes, list bullets, emphasis.
_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+•·▪►»]\s+)+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(.+?)\1$")
# German quotations close with “ « ‘ (and French single ones with ›): „So.“ »So.« ‚So.‘
_SENTENCE_END = tuple('.!?…:;"”“»«‘›‹\'’)。！？」』）')
# Chinese and Japanese write no spaces between words: their characters are counted instead, two to a
# word (about the length of a word there), so a sentence of them reads as prose, not as one "word".
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
CJK_CHARS_PER_WORD = 2
_CJK_FIRST = "\u3040"  # the lowest character _CJK matches


def count_words(plain: str) -> int:
    """Words in a plain line: space-separated tokens, plus CJK characters by CJK_CHARS_PER_WORD."""
    tokens = plain.split()
    if plain.isascii() or max(plain) < _CJK_FIRST:  # max(): one C loop, cheaper than the regex scan
        return len(tokens)
    cjk = len(_CJK.findall(plain))
    if not cjk:
        return len(tokens)
    # A run of CJK text between spaces is one token already; count its characters instead.
    return len(tokens) - sum(1 for token in tokens if _CJK.search(token)) + max(cjk // CJK_CHARS_PER_WORD, 1)

# A line is prose when it reads as a sentence of the article, not as a label or headline.
PROSE_MIN_WORDS = 10
PROSE_MIN_CHARS_UNPUNCTUATED = 160


# First characters of the Markdown prefixes and emphasis above: a line starting otherwise skips those
# regexes (most lines do, and this runs on every line of every document).
_MD_PREFIX_FIRST = frozenset("#>-*+•·▪►»")
_MD_EMPHASIS_FIRST = frozenset("*_")


# Characters a reader does not see that str.split() does not take for space: a zero-width space (a space
# to a reader), and the word joiner, invisible operators ("Stir well.\u2063", as some editors end each
# step), byte order mark and soft hyphen (nothing to a reader). Left in, they kept a line of only them
# from being blank and a sentence ending in one from ending in its full stop. They are searched for before
# anything is replaced: most non-ASCII lines hold none, and a str.translate table costs a dictionary lookup
# per character (Document() took 0.078 s/MB instead of 0.046 on the benchmark texts).
_INVISIBLE = re.compile("[\u200b\u2060-\u2064\ufeff\u00ad]")


def _visible(text: str) -> str:
    return _INVISIBLE.sub("", text.replace("\u200b", " "))


def blank(text: str) -> bool:
    """Whether a reader sees nothing in `text`: white space and invisible characters only."""
    return not text.strip() or (not text.isascii() and not _visible(text).strip())


def plain_text(text: str) -> str:
    """The line as a reader sees it: whitespace folded, invisible characters, Markdown decoration and link
    targets gone."""
    if not text.isascii() and _INVISIBLE.search(text):
        text = _visible(text)
    folded = " ".join(text.split())
    if "](" in folded:
        folded = _MD_LINK.sub(r"\1", folded)
    if folded[:1] in _MD_PREFIX_FIRST:
        folded = _MD_PREFIX.sub("", folded)
    if "**" in folded or "__" in folded:  # bold markers around a label ("**Read also:** ...")
        folded = " ".join(folded.replace("**", " ").replace("__", " ").split())
    if folded[:1] in _MD_EMPHASIS_FIRST:
        match = _MD_EMPHASIS.match(folded)
        if match:
            folded = match.group(2).strip()
    return folded


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
    is_prose: bool  # see reads_as_prose(); a field, not a property: rules ask it of every line many times

    @property
    def is_blank(self) -> bool:
        return not self.plain

    @property
    def ends_sentence(self) -> bool:
        return self.plain.endswith(_SENTENCE_END)


def reads_as_prose(plain: str, n_words: int) -> bool:
    """A sentence of enough words, or a long enough run of them without the closing punctuation."""
    return n_words >= PROSE_MIN_WORDS and (plain.endswith(_SENTENCE_END) or len(plain) >= PROSE_MIN_CHARS_UNPUNCTUATED)


@dataclass
class Document:
    text: str
    lines: list[Line] = field(init=False)
    # Features by raw line, shared by the Documents of one cleaning: each pass after the first
    # re-reads mostly the same lines (see engine.MAX_PASSES).
    line_cache: dict | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.line_cache is None:
            self.line_cache = {}
        self.lines = list(_split_lines(self.text, self.line_cache))
        self._cores: dict[str | None, tuple[int, int] | None] = {}
        self._teasers: dict[tuple[int, int], list[int]] = {}
        self._tables: dict[int, list[tuple[int, int]]] = {}

    @cached_property
    def _base_scores(self) -> list[float | None]:
        """Each line's core score without a rule's exclusions (None for blank lines): computed once,
        since several rules ask for a core, each with its own exclusions."""
        scores = []
        for line in self.lines:
            if line.is_blank:
                scores.append(None)
                continue
            features = self.line_cache[line.text]
            if len(features) == 4:  # the score depends on the line alone: cached with its features
                features = self.line_cache[line.text] = (*features, _core_score(line))
            scores.append(features[4])
        return scores

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


# A long line with hardly a sentence end is a glued list (an archive menu, a tag cloud), not prose.
CORE_MAX_WORDS_PER_SENTENCE = 60
_SENTENCE_BREAK = re.compile(r"[.!?…]+(?:\s|$)|[。！？]")


def _core_score(line: Line) -> float:
    if not line.is_prose:
        return -CORE_GAP_COST
    # Fewer than two sentence breaks means at most one sentence of more than the maximum words. Only
    # the first two breaks are looked for: a paragraph has them early, and most lines are paragraphs.
    if line.n_words > CORE_MAX_WORDS_PER_SENTENCE:
        second_break = next(islice(_SENTENCE_BREAK.finditer(line.plain), 1, None), None)
        if second_break is None:
            return -CORE_GAP_COST
    return max(line.n_words - CORE_BASE_WORDS, 1)


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


def _bounds(text: str) -> tuple[list[str], list[int]]:
    """The raw lines and their start offsets; a final line break opens no empty last line."""
    if "\r" in text:
        raws, starts, start = [], [], 0
        for match in _LINE_BREAK.finditer(text):
            raws.append(text[start:match.start()])
            starts.append(start)
            start = match.end()
        if start < len(text) or not raws:
            raws.append(text[start:])
            starts.append(start)
        return raws, starts
    raws = text.split("\n")
    if len(raws) > 1 and raws[-1] == "":
        raws.pop()
    return raws, [0, *accumulate(len(raw) + 1 for raw in raws)][:-1]


def _features(raw: str) -> tuple:
    """(plain, key, n_words, is_prose) of a raw line; Document._base_scores adds its core score."""
    plain = plain_text(raw) if raw else ""
    if not plain:
        return plain, plain, 0, False
    n_words = count_words(plain)
    return plain, plain.casefold(), n_words, reads_as_prose(plain, n_words)


def _split_lines(text: str, cache: dict):
    raws, starts = _bounds(text)
    paragraph, previous_blank = -1, True
    for index, raw in enumerate(raws):
        features = cache.get(raw)
        if features is None:
            features = cache[raw] = _features(raw)
        plain, key, n_words, prose = features[:4]
        if plain:
            if previous_blank:
                paragraph += 1
            previous_blank = False
            yield Line(index, starts[index], starts[index] + len(raw), raw, plain, key, n_words, paragraph, prose)
        else:
            previous_blank = True
            yield Line(index, starts[index], starts[index] + len(raw), raw, plain, plain, 0, -1, False)
