"""`duplicate`: a headline-sized line repeating another (the title printed twice, a banner again).

Of the copies, the one nearest the article core stays (the first, on a page without a core); the
others within `within_lines` of it go. On a whole page the first copy of a title often sits in a menu
or a breadcrumb that other rules remove, so keeping the first would lose the title. Long prose lines
are left alone: a repeated paragraph is rare junk and a costly mistake.
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
        copies: dict[str, list[int]] = {}
        for line in doc.lines:
            if len(line.plain) < self.min_chars or line.n_words > self.max_words:
                continue
            copies.setdefault(line.key, []).append(line.index)
        core = doc.core
        spans = []
        for indexes in copies.values():
            if len(indexes) < 2:
                continue
            keep = min(indexes, key=lambda index: (_distance(core, index), index))
            for index in indexes:
                if index != keep and (not self.within_lines or abs(index - keep) <= self.within_lines):
                    spans.append(self.span_lines(doc, index, index))
        yield from sorted(spans, key=lambda span: span.start)


def _distance(core, index: int) -> int:
    """Lines between `index` and the core (0 inside it, or when there is no core)."""
    if core is None or core[0] <= index <= core[1]:
        return 0
    return core[0] - index if index < core[0] else index - core[1]
