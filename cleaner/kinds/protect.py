"""`protect`: lines that must never be removed, whatever other rules match. The engine honours them."""
from __future__ import annotations

from ..matching import FULL, fullmatch_lines
from .base import Rule


class ProtectRule(Rule):
    kind = "protect"
    needs_a_match = True
    one_of = (("pattern", "patterns"),)

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.pattern = self.regex("pattern", "patterns")

    def line_regexes(self):
        return ((self.pattern, FULL),)

    def find(self, doc):
        for index in fullmatch_lines(doc, self.pattern):
            if doc.lines[index].plain:
                yield self.span_lines(doc, index, index)
