"""The guardrail: decide when a cleaning removed so much that it should not pass unnoticed.

A document the rules left nearly empty is more often a rule gone wrong (an over-broad pattern emptying
articles) or a page with no article at all (its "article" a cookie banner) than a tiny article in a sea
of junk. Such a document gets status `guarded`; in mode `keep` its text is also kept whole.

Both conditions must hold, because each alone misfires on ordinary pages:
- the share of the input's words left is below `min_share`: whole-page text is often mostly junk, so a
  low share alone is normal there;
- fewer than `min_words` words are left: short articles exist, so a low count alone is normal too.

Defaults, measured with `python bench/fuzz.py --guardrail-figures`: a perfect cleaning of the
benchmarks' whole-page text (each text-raw page reduced to its text-trafilatura article, 589 pages)
keeps as little as 2.7% of a page's words, but then 143 words; the fewest words it keeps is 19 (a
Japanese page, where CJK runs count as few words) at 14% of the page; no page keeps under 20% and under
15 words. The shipped pack on the same pages, on the extracted text and on the fixtures leaves at
least 61 words of any document it removes from (as little as 5% of a whole page), none guarded. An emptied article
keeps ~0%; a cookie banner "article" with its title left keeps a title's 4-12 words of 60-120.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import islice

from .document import word_matches, words
from .model import Removal

MODES = ("flag", "keep")
DEFAULT_MIN_SHARE = 0.20
DEFAULT_MIN_WORDS = 15


@dataclass(frozen=True)
class Guardrail:
    mode: str = "flag"  # flag: apply the removals, status guarded; keep: keep the text whole
    min_share: float = DEFAULT_MIN_SHARE  # 0 turns the guardrail off
    min_words: int = DEFAULT_MIN_WORDS  # 0 turns the guardrail off

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"guardrail mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if isinstance(self.min_share, bool) or not 0.0 <= self.min_share <= 1.0:
            raise ValueError(f"guardrail share must be a number from 0 to 1, got {self.min_share!r}")
        if isinstance(self.min_words, bool) or not isinstance(self.min_words, int) or self.min_words < 0:
            raise ValueError(f"guardrail words must be a whole number >= 0, got {self.min_words!r}")

    def verdict(self, text_in: str, text_out: str, removals: list[Removal]) -> str | None:
        """Why the document is guarded, or None when it is not."""
        if not removals:
            return None
        # Counted only up to min_words: the common case, where no more is needed (nor the input's count).
        words_out = sum(1 for _ in islice(word_matches(text_out), self.min_words))
        if words_out >= self.min_words:
            return None
        words_in = len(words(text_in))
        removed = words_in - words_out
        if removed <= 0 or words_out >= self.min_share * words_in:
            return None
        by_rule = Counter()
        for removal in removals:
            by_rule[removal.rule] += len(words(removal.text))
        rule, count = by_rule.most_common(1)[0]
        return (
            f"the rules removed {removed} of {words_in} words ({words_out} left, {words_out / words_in:.0%}); "
            f"most by {rule} ({count} words)"
        )
