"""`phrase`: whole lines equal to one of many literal phrases (multilingual lists, no regex needed).

The rule runs in the Rust engine (src/kinds/phrase.rs); this module reads and checks its parameters.
"""
from __future__ import annotations

from ..document import plain_text
from .base import Rule

# Trailing punctuation and arrows that widgets put after a label ("Read more »", "Share:"); src/kinds/
# phrase.rs strips the same from each line's key.
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

    def engine_object(self):
        return None  # the engine looks phrases up in the rule list's PhraseMatcher (src/kinds/phrase.rs)

    def phrase_keys(self):
        return self.phrases
