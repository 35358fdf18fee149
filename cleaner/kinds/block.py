"""`block`: a run of lines opened by one pattern.

Either up to an `end` pattern (a rating widget from its question to its vote count), or the start line
plus up to `take_next` headline-like lines of the paragraph that follows it ("Previous Article" and the
teaser headline after it). A line that reads as prose is never taken as a headline.

The rule runs in the Rust engine (src/kinds/block.rs); this module reads and checks its parameters.
"""
from __future__ import annotations

from ..matching import FULL, fullmatch_lines
from ..native import engine as _engine
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
        return ((self.start, FULL),) if self.end is None else ((self.start, FULL), (self.end, FULL))

    def native_slots(self):
        return ((self.start, FULL), (self.end, FULL))

    def spans(self, doc, order):
        reason = self.meta.reason
        ends = [] if self.end is None else fullmatch_lines(doc, self.end)
        return [(start, end, order, reason, anchor)
                for start, end, anchor in self.native().find(doc.native, fullmatch_lines(doc, self.start), ends)]

    def make_native(self):
        return _engine.Block(self.end is not None, self.take_next, self.max_lines, self.next_max_words)
