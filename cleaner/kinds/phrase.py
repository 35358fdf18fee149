"""`phrase`: whole lines equal to one of many literal phrases (multilingual lists, no regex needed)."""
from __future__ import annotations

from ..document import plain_text
from ..matching import cached
from .base import Rule

# Trailing punctuation and arrows that widgets put after a label ("Read more »", "Share:").
_TRIM = " .:!?…»«›‹>|-–—→·•"


def phrase_key(text: str) -> str:
    return plain_text(text).casefold().strip(_TRIM)


class PhraseRule(Rule):
    kind = "phrase"
    required = ("phrases",)

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.phrases = frozenset(phrase_key(p) for p in self.strings("phrases"))
        if "" in self.phrases:
            raise self.error("'phrases' holds an entry that is only punctuation")

    def find(self, doc):
        # Every phrase rule looks up the same stripped keys: indexed once per document, so a rule costs
        # a set intersection, not a pass over the lines.
        lines_by_key = cached(doc, "phrase-keys", lambda: _lines_by_key(doc))
        # intersection() walks the document's keys (a few dozen); `keys() & frozenset` walked every
        # phrase of the rule (up to 164), for each rule and pass, as dict views only swap for a set.
        found = sorted(index for key in self.phrases.intersection(lines_by_key) for index in lines_by_key[key])
        for index in found:
            yield self.span_lines(doc, index, index)


def _lines_by_key(doc) -> dict[str, list[int]]:
    lines_by_key: dict[str, list[int]] = {}
    for line in doc.lines:
        key = line.key.strip(_TRIM) if line.plain else ""
        if key:
            lines_by_key.setdefault(key, []).append(line.index)
    return lines_by_key
