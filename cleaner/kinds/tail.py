"""`tail`: a run of teaser-like lines after the article that holds a marker ("Related posts", "More news").

Teaser lists sit after the article's last prose line: section labels and other stories' headlines,
with a marker line at the top or the bottom. The run is every consecutive short, non-prose line around
the marker, within the part of the document after the core. Without a marker nothing is removed: a
short closing line of the article looks the same as a teaser headline.

The rule runs in the Rust engine (src/kinds/tail.rs); this module reads and checks its parameters.
"""
from __future__ import annotations

from ..matching import FULL
from ..native import engine as _engine
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

    def native_slots(self):
        return ((self.marker, FULL),)

    def make_native(self):
        return _engine.Tail(self.max_words, self.max_lines)
