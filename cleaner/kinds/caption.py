"""`caption`: photo captions and credits that belong to another story.

A line carrying a credit ("(AP Photo/...)", "Photo:", "Getty Images") is a caption. Its subject is its
content words without the credit. When too few of them occur in the rest of the document, the photo
belongs to another story (a teaser image, a recycled file photo) and the caption goes; a caption about
the article's own subject stays. A bare credit with no subject at all ("Photo: Reuters") goes too.
Content words are words of three letters or more, casefolded, less the function words below, with a
crude plural fold ("protesters" ~ "protester"). The rule runs in the Rust engine (src/kinds/caption.rs).
"""
from __future__ import annotations

from ..matching import SEARCH
from ..native import engine as _engine
from .base import Rule
# Function words of the languages the pack covers: they would make any caption look on-topic.
_STOPWORDS = frozenset(
    """
    the and for are but not you all any can had her was one our out has him his how its may new now
    who did get let say she too use that with have this will your from they been were said what when
    which their there would about into than them then these some could other after also over such only
    where while being during against between before since under those through each most very more
    sunday monday tuesday wednesday thursday friday saturday
    der die das und ist nicht ein eine einer eines dem den des mit von auf für sich auch als bei nach
    wie aus wird sind war hat dass oder aber noch nur zum zur vor über unter durch
    les des une est pour dans par sur qui que pas avec son ses aux plus
    los las una por con para del que sus como más pero fue
    """.split()
)


class CaptionRule(Rule):
    kind = "caption"
    needs_a_match = True
    required = ("credit",)
    optional = ("min_overlap", "min_subject_words", "max_words")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.credit = self.regex("credit")
        self.min_overlap = self.number("min_overlap", 0.3)
        self.min_subject_words = self.integer("min_subject_words", 3, minimum=1)
        self.max_words = self.integer("max_words", 120, minimum=1)

    def native_slots(self):
        return ((self.credit, SEARCH),)

    def make_native(self):
        return _engine.Caption(self.min_overlap, self.min_subject_words, self.max_words, sorted(_STOPWORDS))
