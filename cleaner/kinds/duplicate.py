"""`duplicate`: a headline-sized line repeating another (the title printed twice, a banner again).

Of the copies, the one nearest the article core stays (the first, on a page without a core); the
others within `within_lines` of it go. On a whole page the first copy of a title often sits in a menu
or a breadcrumb that other rules remove, so keeping the first would lose the title. Long prose lines
are left alone: a repeated paragraph is rare junk and a costly mistake.

With `min_run` set, the rule instead looks for a run of at least `min_run` prose lines repeated in the
same order (the article, or a long part of it, printed twice): the copy nearest the core stays (the
first on a tie) and the other's prose lines go. One repeated paragraph (an interview's question asked
again, a dish on two days of a meal plan) is no run and stays.

The rule runs in the Rust engine (src/kinds/duplicate.rs); this module reads its parameters.
"""
from __future__ import annotations

from ..native import engine as _engine
from .base import Rule


class DuplicateRule(Rule):
    kind = "duplicate"
    optional = ("min_chars", "max_words", "within_lines", "min_run")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.min_chars = self.integer("min_chars", 20, minimum=1)
        self.max_words = self.integer("max_words", 40, minimum=1)
        self.within_lines = self.integer("within_lines", 0)  # 0: the whole document
        self.min_run = self.integer("min_run", 0)  # 0: single lines, not runs of paragraphs

    def make_native(self):
        return _engine.Duplicate(self.min_chars, self.max_words, self.within_lines, self.min_run)
