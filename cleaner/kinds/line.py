"""`line`: whole lines matching a regex (full line, case-insensitive, whitespace and Markdown folded)."""
from __future__ import annotations

from ..matching import FULL, fullmatch_lines
from .base import Rule


class LineRule(Rule):
    kind = "line"
    needs_a_match = True
    one_of = (("pattern", "patterns"),)
    optional = ("max_chars",)

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.pattern = self.regex("pattern", "patterns")
        self.max_chars = self.integer("max_chars", 300, minimum=1)

    def line_regexes(self):
        return ((self.pattern, FULL),)

    def find(self, doc):
        for index in fullmatch_lines(doc, self.pattern):
            line = doc.lines[index]
            if line.plain and len(line.plain) <= self.max_chars:
                yield self.span_lines(doc, index, index)
