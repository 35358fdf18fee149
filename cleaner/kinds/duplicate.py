"""`duplicate`: a headline-sized line repeating an earlier one (the title printed twice, a banner again).

The first occurrence stays; later ones go. Long prose lines are left alone: a repeated paragraph is
rare junk and a costly mistake.
"""
from __future__ import annotations

from .base import Rule


class DuplicateRule(Rule):
    kind = "duplicate"
    optional = ("min_chars", "max_words", "within_lines")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.min_chars = self.integer("min_chars", 20, minimum=1)
        self.max_words = self.integer("max_words", 40, minimum=1)
        self.within_lines = self.integer("within_lines", 0)  # 0: the whole document

    def find(self, doc):
        seen: dict[str, int] = {}
        for line in doc.lines:
            if len(line.plain) < self.min_chars or line.n_words > self.max_words:
                continue
            first = seen.get(line.key)
            if first is None:
                seen[line.key] = line.index
            elif not self.within_lines or line.index - first <= self.within_lines:
                yield self.span_lines(doc, line.index, line.index)
