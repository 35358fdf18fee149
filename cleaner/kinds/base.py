"""What every rule kind shares: its metadata, parameter checking, and the find() contract."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..document import Document
from ..errors import RuleError, shown
from ..matching import matches
from ..model import Span
from ..native import engine as _engine
from ..patterns import compile_alternation

_TAG = re.compile(r"[a-z][a-z0-9-]*")

ZONES = ("any", "head", "body", "tail")


@dataclass(frozen=True)
class RuleMeta:
    id: str
    kind: str
    description: str
    reason: str
    file: str
    zone: str = "any"
    languages: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    examples_remove: tuple[Any, ...] = ()
    examples_keep: tuple[Any, ...] = ()
    line: int | None = None  # line of the rule in its file, for error messages
    spec: dict = field(default_factory=dict, compare=False, repr=False)


class Rule:
    """A rule kind: subclasses declare their keys and find the spans they remove in a Document."""

    kind: ClassVar[str]
    required: ClassVar[tuple[str, ...]] = ()  # keys that must be present
    one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()  # groups of which exactly one must be present
    optional: ClassVar[tuple[str, ...]] = ()
    # True for a kind whose find() yields nothing unless one of its line_regexes() matches a line: the
    # engine then skips it in a document where the prefilter rules them all out (most documents, for
    # most rules), without a call per rule and pass.
    needs_a_match: ClassVar[bool] = False

    def __init__(self, meta: RuleMeta, params: dict):
        self.meta = meta
        self._params = params

    @classmethod
    def keys(cls) -> set[str]:
        return set(cls.required) | set(cls.optional) | {k for group in cls.one_of for k in group}

    def find(self, doc: Document) -> Iterator[Span]:
        """The spans this rule alone finds in `doc` (for `protect`, the lines it guards), by the Rust
        engine as it runs in a rule list, less the zone (for learn, explain, lint and tests)."""
        answers = [[] if regex is None else matches(doc, regex, mode) for regex, mode in self.native_slots()]
        found, protected = self._alone().run(doc.native, answers)
        rule = self.meta.id
        for start, end, _, reason, anchor in found:
            yield Span(start, end, rule, reason, anchor)
        for start, end in protected:
            yield Span(start, end, rule, self.meta.reason)

    def _alone(self):
        """An engine of this rule alone, its regexes' answers by slot (made on first use)."""
        engine = self.__dict__.get("_native_alone")
        if engine is None:
            slots = [None if regex is None else at for at, (regex, _) in enumerate(self.native_slots())]
            spec = self.engine_spec(slots, [at for at in slots if at is not None], False, "any")
            keys = self.phrase_keys()
            phrases = None if keys is None else _engine.PhraseMatcher([sorted(keys)])
            engine = self.__dict__["_native_alone"] = _engine.Engine([spec], phrases)
        return engine

    def engine_spec(self, slots: list, positions: list[int], needs_a_match: bool, zone: str) -> tuple:
        """The rule as src/engine.rs takes it: kind, Rust object, the matcher positions of the regexes
        the kind reads (`slots`) and of all its regexes, whether it needs a match, zone, reasons."""
        return (self.meta.kind, self.engine_object(), slots, positions, needs_a_match, zone, list(self.reasons()))

    def native_slots(self) -> tuple[tuple[object, str], ...]:
        """The (regex or None, mode) pairs whose lines the Rust kind reads, in its order: the engine
        hands it their answers (src/engine.rs)."""
        return ()

    def max_answer_chars(self) -> int | None:
        """The longest line (in characters) whose regex answers the kind reads, or None for any line:
        the matcher need not try its regexes on longer ones."""
        return None

    def phrase_keys(self) -> frozenset[str] | None:
        """The keys a phrase rule looks lines up by (None: not a phrase rule)."""
        return None

    def reasons(self) -> tuple[str, ...]:
        """What the rule's spans say, by the index the Rust kind gives each."""
        return (self.meta.reason,)

    def engine_object(self):
        """The Rust object the engine runs for this rule (None: the kind has nothing to run there)."""
        return self.native()

    def make_native(self):
        """The rule's Rust object (src/kinds/)."""
        raise NotImplementedError

    def native(self):
        """make_native()'s object, made on first use and kept. It cannot be pickled, so it is left out
        of the rule's pickle, and an unpickled rule makes its own."""
        native = self.__dict__.get("_native")
        if native is None:
            native = self.__dict__["_native"] = self.make_native()
        return native

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_native", None)
        state.pop("_native_alone", None)
        return state

    def line_regexes(self) -> tuple[tuple[object, str], ...]:
        """(regex, "full" | "search") pairs this kind runs on every line's plain text through
        cleaner.matching, so a RuleSet matches them all in one pass: its native slots that are set."""
        return tuple((regex, mode) for regex, mode in self.native_slots() if regex is not None)

    # Parameter readers: each raises a RuleError naming the file, the rule and the key.

    def error(self, problem: str) -> RuleError:
        return RuleError(self.meta.file, self.meta.id, problem)

    def regex(self, *keys: str):
        """The patterns under whichever of `keys` is present (a string or a list), as one RE2 regex."""
        for key in keys:
            if key in self._params:
                value = self._params[key]
                patterns = [value] if isinstance(value, str) else value
                if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
                    raise self.error(f"'{key}' must be a pattern or a non-empty list of patterns")
                try:
                    return compile_alternation(patterns)
                except ValueError as exc:
                    raise self.error(f"'{key}': {exc}") from None
        return None

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        value = self._params.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(f"'{key}' must be a whole number >= {minimum}, got {shown(value)}")
        return value

    def number(self, key: str, default: float, minimum: float = 0.0, maximum: float = 1.0) -> float:
        value = self._params.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not minimum <= value <= maximum:
            raise self.error(f"'{key}' must be a number from {minimum} to {maximum}, got {shown(value)}")
        return float(value)

    def strings(self, key: str, default: list[str] | None = None) -> list[str]:
        value = self._params.get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"'{key}' must be a non-empty string or a list of them")
        return value

    def tag_names(self, key: str, default: list[str]) -> frozenset[str]:
        """HTML tag names (lower case), for the kinds that walk a page's DOM."""
        tags = self.strings(key, default)
        if not tags or not all(_TAG.fullmatch(tag) for tag in tags):
            raise self.error(f"'{key}' must be a non-empty list of HTML tag names, got {shown(tags)}")
        return frozenset(tags)

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self._params.get(key, default)
        if value not in allowed:
            raise self.error(f"'{key}' must be one of {', '.join(allowed)}, got {shown(value)}")
        return value


class PageRule(Rule):
    """An HTML-only kind: it works on the parsed page in cleaner/html.py and has nothing to find in
    text, so the engine never calls it there (no line regex, so the prefilter always rules it out)."""

    needs_a_match = True

    def engine_object(self):
        return None
