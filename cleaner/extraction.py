"""What trafilatura's extraction left out of a page, reported as removals of the pseudo-rule `extraction`,
so that for HTML too nothing disappears unaccounted.

Before extraction, the page's text is taken as blocks: each block-level element's own text, inline
elements' text included (a paragraph with a link is one block). After it, a block whose text is not in
the extracted text was left out. An element all of whose blocks were left out is one removal, reported
at the outermost such element (a whole menu, not its every item) with its path in the page as
downloaded, like a selector rule's node (start = end = -1: it never reaches the extracted text).
Elements a selector rule took out are the selector's removals, not extraction's.

A block whose words do occur somewhere in the extracted text ("Home" in a sentence about a home) counts
as kept: the report may miss such a drop, never name kept text as dropped.
"""
from __future__ import annotations

from .model import Removal

RULE = "extraction"
REASON = "left out by trafilatura's extraction: not the article's text to it"

# Not page text a reader sees.
_SKIP = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object"})
# Elements whose text runs on inside the block around them.
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "dfn", "em", "font", "i", "img", "kbd",
    "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
})


def _fold(text: str) -> str:
    return " ".join(text.split())


class PageBlocks:
    """The text blocks of a parsed page, taken before anything is removed from it."""

    def __init__(self, root):
        self.root = root
        # Per element, in document order: [element, path, own block text, index of parent entry or -1].
        self.entries: list[list] = []
        stack = [(root, -1, "/" + root.tag if isinstance(root.tag, str) else "")]
        while stack:
            element, parent, path = stack.pop()
            index = len(self.entries)
            self.entries.append([element, path, self._own_text(element), parent])
            children = [child for child in element if isinstance(child.tag, str) and child.tag not in _SKIP
                        and child.tag not in _INLINE]
            counts: dict[str, int] = {}
            for child in children:
                counts[child.tag] = counts.get(child.tag, 0) + 1
            seen: dict[str, int] = {}
            named = []
            for child in children:
                seen[child.tag] = seen.get(child.tag, 0) + 1
                step = child.tag if counts[child.tag] == 1 else f"{child.tag}[{seen[child.tag]}]"
                named.append((child, index, f"{path}/{step}"))
            stack.extend(reversed(named))  # popped in document order

    @staticmethod
    def _own_text(element) -> str:
        """The element's text outside its block-level children: its own, its inline children's (whole),
        and every child's tail."""
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and child.tag in _INLINE:
                parts.append(" ".join(child.itertext()))
            parts.append(child.tail or "")
        return _fold(" ".join(parts))

    def forget_removed(self) -> None:
        """Leave out the text of the elements no longer in the page: a selector rule took them out, and
        they are its removals."""
        attached = [True] * len(self.entries)
        for index, entry in enumerate(self.entries):
            parent = entry[3]
            if parent >= 0:  # a parent's entry comes first: one step up per element
                attached[index] = attached[parent] and entry[0].getparent() is self.entries[parent][0]
            if not attached[index]:
                entry[2] = ""

    def left_out(self, extracted: str) -> list[Removal]:
        """The outermost elements all of whose text blocks are missing from `extracted`. Reads only what
        was taken before extraction, which changes the tree."""
        text = f" {_fold(extracted)} "
        lines = {_fold(line) for line in extracted.split("\n")}
        count = len(self.entries)
        # Over each entry's subtree: blocks left out, blocks kept, and where the subtree ends (entries
        # are in document order, so a subtree is a run of them and children come after their parent).
        dropped, kept, ends = [0] * count, [0] * count, list(range(1, count + 1))
        for index in range(count - 1, -1, -1):
            _, _, own, parent = self.entries[index]
            if own:
                if own in lines or f" {own} " in text:
                    kept[index] += 1
                else:
                    dropped[index] += 1
            if parent >= 0:
                dropped[parent] += dropped[index]
                kept[parent] += kept[index]
                ends[parent] = max(ends[parent], ends[index])
        removals = []
        for index, (_, path, _, parent) in enumerate(self.entries):
            if dropped[index] and not kept[index] and (parent < 0 or kept[parent]):
                words = " ".join(entry[2] for entry in self.entries[index:ends[index]] if entry[2])
                removals.append(Removal(rule=RULE, file="", start=-1, end=-1, line=0, text=words, reason=REASON,
                                        node=path))
        return removals
