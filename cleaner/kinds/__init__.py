"""The closed set of rule kinds, chosen by a rule's `kind` key."""
from .base import PageRule, Rule, RuleMeta
from .block import BlockRule
from .caption import CaptionRule
from .duplicate import DuplicateRule
from .heuristic import HeuristicRule
from .hover_card import HoverCardRule
from .line import LineRule
from .page_title import PageTitleRule
from .phrase import PhraseRule
from .protect import ProtectRule
from .selector import SelectorRule
from .tail import TailRule
from .teaser_list import TeaserListRule

KINDS: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (LineRule, PhraseRule, BlockRule, TailRule, CaptionRule, DuplicateRule, ProtectRule, SelectorRule,
                TeaserListRule, HoverCardRule, PageTitleRule, HeuristicRule)
}

__all__ = ["KINDS", "PageRule", "Rule", "RuleMeta"]
