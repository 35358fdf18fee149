"""What the integrations share: the rules, loaded once per process, and one text cleaned as the batch
cleans a record."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..sites import site_of_url
from ..engine import clean
from ..guardrail import Guardrail
from ..model import Result
from ..ruleset import RuleSet, load_rules


_RULESETS: dict = {}


@dataclass(frozen=True)
class TextCleaner:
    """Rule files and options, small enough to pickle to a pipeline's workers; the rules are compiled in
    each worker the first time it cleans (load_rules keeps them for the process)."""

    rules: tuple[str, ...] = ()
    default_rules: bool = True
    disable: tuple[str, ...] = ()
    guardrail: Guardrail = Guardrail()

    @classmethod
    def of(cls, rules: Iterable = (), default_rules: bool = True, disable: Iterable[str] = (),
           guardrail: Guardrail | None = None) -> "TextCleaner":
        rules = (rules,) if isinstance(rules, str) else tuple(map(str, rules))
        return cls(rules, default_rules, tuple(disable), guardrail or Guardrail())

    def ruleset(self) -> RuleSet:
        # Kept per process, keyed by these options: load_rules reads every rule file to know whether its
        # cached RuleSet still holds, which is too much to do once per document.
        rules = _RULESETS.get(self)
        if rules is None:
            rules = _RULESETS[self] = load_rules(self.rules, defaults=self.default_rules, disable=self.disable)
        return rules

    def clean(self, text: str, url: str | None = None) -> Result:
        return clean(text, rules=self.ruleset(), site=site_of_url(url), guardrail=self.guardrail)


def removal_spans(result: Result) -> list[dict]:
    """Each removal as rule, start and end (offsets into the text before cleaning)."""
    return [{"rule": removal.rule, "start": removal.start, "end": removal.end} for removal in result.removals]
