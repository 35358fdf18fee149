"""`duplicate`: a headline-sized line repeating another (the title printed twice, a banner again).

Of the copies, the one nearest the article core stays (the first, on a page without a core); the
others within `within_lines` of it go. On a whole page the first copy of a title often sits in a menu
or a breadcrumb that other rules remove, so keeping the first would lose the title. Long prose lines
are left alone: a repeated paragraph is rare junk and a costly mistake.

With `min_run` set, the rule instead looks for a run of at least `min_run` prose lines repeated in the
same order (the article, or a long part of it, printed twice): the copy nearest the core stays (the
first on a tie) and the other's prose lines go. One repeated paragraph (an interview's question asked
again, a dish on two days of a meal plan) is no run and stays.
"""
from __future__ import annotations

from .base import Rule


# How many earlier copies of a paragraph a possible run start is compared with.
RUN_CANDIDATES = 8


class DuplicateRule(Rule):
    kind = "duplicate"
    optional = ("min_chars", "max_words", "within_lines", "min_run")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.min_chars = self.integer("min_chars", 20, minimum=1)
        self.max_words = self.integer("max_words", 40, minimum=1)
        self.within_lines = self.integer("within_lines", 0)  # 0: the whole document
        self.min_run = self.integer("min_run", 0)  # 0: single lines, not runs of paragraphs

    def find(self, doc):
        if self.min_run:
            yield from self._repeated_runs(doc)
            return
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

    def _repeated_runs(self, doc):
        # Only prose lines count, so a copy whose paragraphs are set apart by other lines (bullets,
        # captions) still matches.
        prose = [line for line in doc.lines if line.is_prose and len(line.plain) >= self.min_chars]
        keys = [line.key for line in prose]
        # Non-blank lines between a prose line and the one before: a run allows one (a bullet, a
        # caption), not a day's other dishes between the repeated ones of a meal plan.
        nonblank = [line.index for line in doc.lines if not line.is_blank]
        rank = {index: n for n, index in enumerate(nonblank)}
        gap = [0] + [rank[b.index] - rank[a.index] - 1 for a, b in zip(prose, prose[1:])]
        seen: dict[str, list[int]] = {}
        core = doc.core
        drop: set[int] = set()
        j = 0
        while j < len(prose):
            best = 0
            # Only the latest copies of the paragraph are compared: a page repeating it thousands of times
            # made this quadratic. A page with at most RUN_CANDIDATES copies is not affected.
            for i in seen.get(keys[j], ())[-RUN_CANDIDATES:]:
                # A run of distinct paragraphs: a table's rows alternating "A, note, B, note" repeat
                # their note, and are content.
                length, run_keys = 0, set()
                while (j + length < len(prose) and i + length < j and keys[i + length] == keys[j + length]
                       and keys[j + length] not in run_keys
                       and (not length or max(gap[i + length], gap[j + length]) <= 1)):
                    run_keys.add(keys[j + length])
                    length += 1
                if length > best:
                    best, first = length, i
            if best >= self.min_run:
                copies = [prose[first:first + best], prose[j:j + best]]
                nearest = min((min(_distance(core, line.index) for line in run), n) for n, run in enumerate(copies))
                drop.update(line.index for line in copies[1 - nearest[1]])
            step = best if best >= self.min_run else 1
            for k in range(j, j + step):
                seen.setdefault(keys[k], []).append(k)
            j += step
        for index in sorted(drop):
            yield self.span_lines(doc, index, index)


def _distance(core, index: int) -> int:
    """Lines between `index` and the core (0 inside it, or when there is no core)."""
    if core is None or core[0] <= index <= core[1]:
        return 0
    return core[0] - index if index < core[0] else index - core[1]
