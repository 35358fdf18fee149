"""`line`: whole lines matching a regex (full line, case-insensitive, whitespace and Markdown folded).

The rule runs in the Rust engine (src/kinds/line.rs); this module reads and checks its parameters.
"""
from __future__ import annotations

from ..matching import FULL
from ..native import engine as _engine
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

    def native_slots(self):
        return ((self.pattern, FULL),)

    def max_answer_chars(self):
        return self.max_chars  # src/kinds/line.rs takes no longer line

    def make_native(self):
        return _engine.Line(self.max_chars)
