"""`block`: a run of lines opened by one pattern.

Either up to an `end` pattern (a rating widget from its question to its vote count), or the start line
plus up to `take_next` headline-like lines of the paragraph that follows it ("Previous Article" and the
teaser headline after it). A line that reads as prose is never taken as a headline.

The rule runs in the Rust engine (src/kinds/block.rs); this module reads and checks its parameters.
"""
from __future__ import annotations

from ..matching import FULL
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

    def native_slots(self):
        return ((self.start, FULL), (self.end, FULL))

    def make_native(self):
        return _engine.Block(self.end is not None, self.take_next, self.max_lines, self.next_max_words)
