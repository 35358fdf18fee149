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
        # Every phrase rule compares the same stripped keys: computed once per document.
        keys = cached(doc, "phrase-keys", lambda: [line.key.strip(_TRIM) if line.plain else "" for line in doc.lines])
        phrases = self.phrases
        for index, key in enumerate(keys):
            if key and key in phrases:
                yield self.span_lines(doc, index, index)
