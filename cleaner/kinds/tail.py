"""`tail`: a run of teaser-like lines after the article that holds a marker ("Related posts", "More news").

Teaser lists sit after the article's last prose line: section labels and other stories' headlines,
with a marker line at the top or the bottom. The run is every consecutive short, non-prose line around
the marker, within the part of the document after the core. Without a marker nothing is removed: a
short closing line of the article looks the same as a teaser headline.
"""
from __future__ import annotations

from ..matching import FULL, fullmatch_lines
from .base import Rule


class TailRule(Rule):
    kind = "tail"
    needs_a_match = True
    required = ("marker",)
    optional = ("max_words", "max_lines")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.marker = self.regex("marker")
        self.max_words = self.integer("max_words", 20, minimum=1)
        self.max_lines = self.integer("max_lines", 60, minimum=1)

    def line_regexes(self):
        return ((self.marker, FULL),)

    def _teaser_like(self, line) -> bool:
        return line.is_blank or (not line.is_prose and line.n_words <= self.max_words)

    def find(self, doc):
        core = doc.core
        after = core[1] + 1 if core else 0
        lines = doc.lines
        resume = after  # a run's lines are not searched for another marker
        for index in fullmatch_lines(doc, self.marker):
            line = lines[index]
            if index >= resume and line.plain and line.n_words <= self.max_words:
                first = index
                while first - 1 >= after and self._teaser_like(lines[first - 1]):
                    first -= 1
                last = index
                while last + 1 < len(lines) and self._teaser_like(lines[last + 1]):
                    last += 1
                content = [i for i in range(first, last + 1) if not lines[i].is_blank]
                if len(content) <= self.max_lines:
                    yield self.span_lines(doc, content[0], content[-1], anchor=index)
                resume = last + 1
