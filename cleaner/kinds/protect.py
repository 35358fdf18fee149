"""`protect`: lines that must never be removed, whatever other rules match. The engine honours them."""
from __future__ import annotations

from .base import Rule


class ProtectRule(Rule):
    kind = "protect"
    one_of = (("pattern", "patterns"),)

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.pattern = self.regex("pattern", "patterns")

    def find(self, doc):
        for line in doc.lines:
            if line.plain and self.pattern.fullmatch(line.plain):
                yield self.span_lines(doc, line.index, line.index)
