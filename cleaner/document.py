"""A decoded text split into lines with offsets and the features rules look at.

Everything a rule kind needs about a line is computed once here, so kinds stay small and a
document costs one pass of feature extraction whatever the size of the rule pack.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

# Line terminators we split on; offsets exclude them. \r\n first so it counts as one break.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORD = re.compile(r"\w+")
# Markdown decoration scrapers leave around a line: headings, quotes, list bullets, emphasis.
_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+•·▪►»]\s+)+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(.+?)\1$")
_SENTENCE_END = tuple('.!?…:;"”»\'’)')

# A line is prose when it reads as a sentence of the article, not as a label or headline.
PROSE_MIN_WORDS = 10
PROSE_MIN_CHARS_UNPUNCTUATED = 160


def plain_text(text: str) -> str:
    """The line as a reader sees it: whitespace folded, Markdown decoration and link targets gone."""
    folded = " ".join(text.split())
    folded = _MD_LINK.sub(r"\1", folded)
    folded = _MD_PREFIX.sub("", folded)
    if "**" in folded or "__" in folded:  # bold markers around a label ("**Read also:** ...")
        folded = " ".join(folded.replace("**", " ").replace("__", " ").split())
    match = _MD_EMPHASIS.match(folded)
    if match:
        folded = match.group(2).strip()
    return folded


def words(text: str) -> list[str]:
    """Word tokens as the accounting invariant and the metrics count them."""
    return _WORD.findall(text)


@dataclass(frozen=True)
class Line:
    index: int
    start: int  # offset of the first character in the document text
    end: int  # offset just past the last character, line break excluded
    text: str
    plain: str  # see plain_text()
    key: str  # plain, casefolded: what literal phrases are compared with
    n_words: int
    paragraph: int  # index of the blank-line separated block; -1 for blank lines

    @property
    def is_blank(self) -> bool:
        return not self.plain

    @property
    def ends_sentence(self) -> bool:
        return self.plain.endswith(_SENTENCE_END)

    @property
    def is_prose(self) -> bool:
        if self.n_words >= PROSE_MIN_WORDS and self.ends_sentence:
            return True
        return len(self.plain) >= PROSE_MIN_CHARS_UNPUNCTUATED and self.n_words >= PROSE_MIN_WORDS


@dataclass
class Document:
    text: str
    lines: list[Line] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = list(_split_lines(self.text))

    @cached_property
    def prose_indexes(self) -> list[int]:
        return [line.index for line in self.lines if line.is_prose]

    @cached_property
    def core(self) -> tuple[int, int] | None:
        """First and last line index of the article core: from the first prose line to the last."""
        prose = self.prose_indexes
        return (prose[0], prose[-1]) if prose else None

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
        for line in self.lines[index + 1:]:
            if not line.is_blank:
                return line.index
        return None

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets covering lines first..last inclusive."""
        return self.lines[first].start, self.lines[last].end


def _split_lines(text: str):
    bounds = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    paragraph, previous_blank = -1, True
    for index, (start, end) in enumerate(bounds):
        raw = text[start:end]
        plain = plain_text(raw)
        if plain and previous_blank:
            paragraph += 1
        previous_blank = not plain
        yield Line(
            index=index,
            start=start,
            end=end,
            text=raw,
            plain=plain,
            key=plain.casefold(),
            n_words=len(plain.split()),
            paragraph=paragraph if plain else -1,
        )
