"""`protect`: lines that must never be removed, whatever other rules match. The engine honours them."""
from __future__ import annotations

from ..matching import FULL, cached, fullmatch_lines
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

    def line_regexes(self):
        return ((self.pattern, FULL),)

    def find(self, doc):
        matched = [index for index in fullmatch_lines(doc, self.pattern) if doc.lines[index].plain]
        guarded = set(matched)
        if self.block_share and len(matched) >= self.block_min:
            hits: dict[int, int] = {}  # paragraph (block) -> its matching lines
            for index in matched:
                paragraph = doc.lines[index].paragraph
                hits[paragraph] = hits.get(paragraph, 0) + 1
            sizes = _paragraph_sizes(doc)
            blocks = {paragraph for paragraph, found in hits.items()
                      if found >= self.block_min and found >= self.block_share * sizes[paragraph]}
            guarded.update(line.index for line in doc.lines if line.plain and line.paragraph in blocks)
        for index in sorted(guarded):
            yield self.span_lines(doc, index, index)


def _paragraph_sizes(doc) -> dict[int, int]:
    """Lines per paragraph (blank-line separated block), computed once per document."""
    def count():
        found: dict[int, int] = {}
        for line in doc.lines:
            found[line.paragraph] = found.get(line.paragraph, 0) + 1
        return found
    return cached(doc, "paragraph sizes", count)
