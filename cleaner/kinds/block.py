"""`block`: a run of lines opened by one pattern.

Either up to an `end` pattern (a rating widget from its question to its vote count), or the start line
plus up to `take_next` headline-like lines of the paragraph that follows it ("Previous Article" and the
teaser headline after it). A line that reads as prose is never taken as a headline.
"""
from __future__ import annotations

from ..matching import FULL, fullmatch_lines
from .base import Rule


class BlockRule(Rule):
    kind = "block"
    needs_a_match = True
    required = ("start",)
    one_of = (("end", "take_next"),)
    optional = ("max_lines", "next_max_words")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.start = self.regex("start")
        self.end = self.regex("end")
        self.take_next = self.integer("take_next", 1)
        self.max_lines = self.integer("max_lines", 8, minimum=1)
        self.next_max_words = self.integer("next_max_words", 16, minimum=1)

    def line_regexes(self):
        return ((self.start, FULL),)

    def find(self, doc):
        resume = 0  # a block's lines are not searched for another start
        for index in fullmatch_lines(doc, self.start):
            if index < resume or not doc.lines[index].plain:
                continue
            last = self._block_end(doc, index)
            if last is not None:
                yield self.span_lines(doc, index, last, anchor=index)
                resume = last + 1

    def _block_end(self, doc, first: int) -> int | None:
        if self.end is not None:
            seen = 0
            lines = doc.lines
            for line in (lines[index] for index in range(first + 1, len(lines))):  # a slice would copy the rest
                if line.is_blank:
                    continue
                seen += 1
                if seen > self.max_lines:
                    return None
                if self.end.fullmatch(line.plain):
                    return self._absorb_closing(doc, line.index)
            return None
        return self._take_headlines(doc, first)

    def _absorb_closing(self, doc, last: int) -> int:
        """Widgets often close with several lines ("Vote count: 0", "No votes so far!"): take them all."""
        while (following := doc.next_content(last)) is not None and self.end.fullmatch(doc.lines[following].plain):
            last = following
        return last

    def _take_headlines(self, doc, first: int) -> int:
        last = first
        following = doc.next_content(first)
        if following is None:
            return last
        paragraph = doc.lines[following].paragraph
        for line in doc.lines[following:following + self.take_next]:
            if (
                line.paragraph != paragraph
                or line.is_prose
                or line.n_words > self.next_max_words
                or self.start.fullmatch(line.plain)
            ):
                break
            last = line.index
        return last
