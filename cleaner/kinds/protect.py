"""`protect`: lines that must never be removed, whatever other rules match. The engine honours them.

The rule runs in the Rust engine (src/kinds/protect.rs); this module reads and checks its parameters.
"""
from __future__ import annotations

from ..matching import FULL
from ..native import engine as _engine
from .base import Rule


class ProtectRule(Rule):
    kind = "protect"
    needs_a_match = True
    one_of = (("pattern", "patterns"),)
    optional = ("block_share", "block_min")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.pattern = self.regex("pattern", "patterns")
        # A block (lines with no blank line between them) of which at least block_share of the lines,
        # and at least block_min, match is protected whole (0: off): in an ingredient list "5 Eier" and
        # "Salz" say nothing by themselves, but they are items of a list of "250 g Mehl" lines.
        self.block_share = self.number("block_share", 0.0)
        self.block_min = self.integer("block_min", 3, minimum=1)

    def native_slots(self):
        return ((self.pattern, FULL),)

    def make_native(self):
        return _engine.Protect(self.block_share, self.block_min)
