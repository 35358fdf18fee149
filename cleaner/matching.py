"""One call per document for the line regexes of every rule.

Calling a regex once per line and rule costs a round trip each time, which was most of the cleaning
time. Instead a `LineMatcher` (built once per RuleSet, so once per process) hands every rule regex to
the Rust engine (`cleaner._engine.LineMatcher`), which answers all of them for a document in one call:
one multi-literal scan of the lines finds each regex's literal atoms (strings one of which every match
contains), and each regex is tried only on the lines that hold one. Regexes a kind makes on the fly
(not in the matcher) are searched by RE2 on the lines joined with newlines.

The answers are exactly those of calling `regex.fullmatch(line.plain)` / `regex.search(line.plain)` on
each line (tests/test_matching.py, tests/test_rust_matcher.py): in the RE2 scan, a match that would
cross a line break (a pattern with `\\s` or `[^x]` can match the joining newline) makes that regex fall
back to the per-line calls for the document.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

import re2

from .native import engine as _engine

RE2_OPTIONS = re2.Options()
RE2_OPTIONS.log_errors = False
# A plain line holds no newline, so no regex needs to match one: with never_nl a negated class or \s
# stops at the joining newlines instead of carrying DFA states across lines, which made the DFA
# thrash (50 ms on a 9 KB page). Matches are unchanged: only those crossing a line break are lost, and
# _scan checks those lines one by one anyway.
RE2_OPTIONS.never_nl = True

# \A and \z (text start/end) would mean the joined text's ends, not the line's: such regexes run per line.
_ANCHORS_TEXT = re.compile(r"\\[Az]")
FULL = "full"  # regex.fullmatch(line.plain)
SEARCH = "search"  # regex.search(line.plain)


def _multiline(regex, mode: str):
    source = regex.pattern
    if mode == FULL:
        return re2.compile(f"(?m)^(?:{source})$", options=RE2_OPTIONS)
    return re2.compile(f"(?m)(?:{source})", options=RE2_OPTIONS)


# A bounded repetition of a negated class inside a repeated group ("(?:[^|]{1,40}[|]\s*)+") blows up
# RE2's DFA when searched across a whole text; such regexes run anchored on each line instead.
_HEAVY = re.compile(r"\[\^[^\]]*\]\{\d+,\d{2,}\}[^)]*\)[+*{]")


class LineMatcher:
    """The rule regexes of a list of rules, compiled once in the Rust engine, by position."""

    def __init__(self, regexes: list[tuple[object, str]], phrases: list[tuple[object, frozenset[str]]] = (),
                 max_chars: list[int | None] | None = None):
        """`max_chars`, one per regex: the longest line (in characters) whose answer its reader uses,
        or None for every line. A regex listed more than once answers up to the most any use asks for."""
        self._index: dict[tuple[int, str], int] = {}
        native: list[tuple[str, bool]] = []  # (pattern, full) by position
        limits: list[int | None] = []  # by position
        for (regex, mode), most in zip(regexes, max_chars or [None] * len(regexes), strict=True):
            key = (id(regex), mode)
            if key not in self._index:
                self._index[key] = len(native)
                native.append((regex.pattern, mode == FULL))
                limits.append(most)
            else:
                position = self._index[key]
                before = limits[position]
                limits[position] = None if before is None or most is None else max(before, most)
        self._keep = [regex for regex, _ in regexes]  # keep the regexes alive: the keys are their ids
        self.max_chars = limits
        self.native = _engine.LineMatcher(native, limits)
        # The phrase rules' keys, all in one lookup (src/kinds/phrase.rs): a document's keys are looked
        # up once for every rule, not once per rule; the engine counts the phrase rules in list order.
        self.phrases = _engine.PhraseMatcher([sorted(keys) for _, keys in phrases]) if phrases else None
        self.rules_engine = None  # the rule list's engine.Engine, made by engine.py on first use
        self._rule_positions: dict[int, frozenset[int]] = {}

    def positions_of(self, rule) -> frozenset[int] | None:
        """The positions of a rule's line regexes (None if one of them is not in this matcher)."""
        positions = self._rule_positions.get(id(rule))
        if positions is None:
            found = [self._index.get((id(regex), mode)) for regex, mode in rule.line_regexes()]
            if None in found:
                return None
            positions = self._rule_positions[id(rule)] = frozenset(found)
        return positions

    def warm(self, texts: list[str]) -> None:
        """Run every regex over `texts`, results unused: the regexes' lazily built automaton states
        are made now, in the parent, and every worker forked from it starts with them (see
        batch._warm_matcher)."""
        self.native.scan_all(_engine.JoinedLines("\n".join(texts)))

    def lookup(self, regex, mode: str) -> int | None:
        """The regex's position among the matcher's, or None for one it does not hold."""
        return self._index.get((id(regex), mode))


_UNSET = object()


class _DocLines:
    """What matching needs of one Document: the Rust engine's answers for it (`answers`, made on first
    use) and, for a regex not in the matcher, its plain lines joined (made on first use too). `previous`
    is the state of the same cleaning's previous pass, whose answers carry over (DocAnswers.carried,
    _carried)."""

    def __init__(self, doc, matcher: LineMatcher | None, previous: "_DocLines | None" = None):
        self.native = doc.native
        self.matcher = matcher
        self.previous = previous
        self.results: dict = {}
        self.regexes: dict = {}  # results' key -> its regex, so a carried answer is the same regex's
        self._plains: list[str] | None = None
        self._encoded = None
        self._joined_bytes = None
        self.byte_starts: list[int] = []
        self._slice_ends: list[int] | None = None
        self._plain_set: set[str] | None = None
        self._carry: tuple[dict[str, list[int]], list[int]] | None = None
        self._answers = _UNSET

    @property
    def plains(self) -> list[str]:
        """Every line's plain text (what the regexes match)."""
        if self._plains is None:
            self._plains = self.native.plains()
        return self._plains

    @property
    def joined(self) -> str:
        return "\n".join(self.plains)

    @property
    def answers(self):
        """Every matcher regex's matches in this document, by position (a DocAnswers, read as a list of
        lists), from the Rust engine, which tries each regex only on the lines holding one of its
        literal atoms, and after the first pass only on the lines new in this one; None without a
        matcher."""
        if self._answers is _UNSET:
            matcher, previous = self.matcher, self.previous
            if matcher is None:
                self._answers = None
            elif previous is not None and previous.matcher is matcher and previous._answers not in (_UNSET, None):
                self._answers = previous._answers.carried(matcher.native, self.native, previous.native)
            else:
                self._answers = _engine.DocAnswers.scan(matcher.native, self.native)
        return self._answers

    @property
    def candidates(self) -> frozenset[int] | None:
        """The positions of the matcher's regexes that match a line of this document (exact, from the
        Rust engine's answers): the rules' engine skips a rule that needs a match when none of its
        regexes is among them. None without a matcher."""
        answers = self.answers
        return None if answers is None else frozenset(answers.matched())

    @property
    def plain_set(self) -> set[str]:
        if self._plain_set is None:
            self._plain_set = set(self.plains)
        return self._plain_set

    def carry(self) -> tuple[dict[str, list[int]], list[int]]:
        """(this pass's line indexes by plain text, for the texts the previous pass saw; the indexes of
        the lines whose text it did not see)."""
        if self._carry is None:
            seen, lines_of, new = self.previous.plain_set, {}, []
            for index, plain in enumerate(self.plains):
                if plain in seen:
                    lines_of.setdefault(plain, []).append(index)
                else:
                    new.append(index)
            self._carry = lines_of, new
        return self._carry

    @property
    def joined_bytes(self) -> bytes:
        if self._joined_bytes is None:
            self._joined_bytes = self.joined.encode("utf-8")
            # Byte offset of each line: a line's bytes plus the joining newline.
            self.byte_starts = [0, *accumulate(len(data) + 1 for data in self.encoded)][:-1]
        return self._joined_bytes

    @property
    def slice_ends(self) -> list[int]:
        """Where the scans of the joined text stop and start again: the newline ending the first line
        that reaches _SLICE bytes past the previous slice's start, and the text's end."""
        if self._slice_ends is None:
            data, ends, start = self.joined_bytes, [], 0
            while (cut := data.find(b"\n", start + _SLICE)) >= 0:
                ends.append(cut)
                start = cut + 1
            ends.append(len(data))
            self._slice_ends = ends
        return self._slice_ends

    @property
    def encoded(self) -> list[bytes]:
        if self._encoded is None:
            self._encoded = [plain.encode("utf-8") for plain in self.plains]
        return self._encoded


def attach(doc, matcher: LineMatcher | None, previous=None) -> None:
    """Give `doc` the RuleSet's matcher; kinds then share one scan of the document. `previous`: the
    Document of the same cleaning's previous pass (the text `doc` was made from), whose answers for
    the lines both hold are reused."""
    doc._matching = _DocLines(doc, matcher, getattr(previous, "_matching", None))


def _state(doc) -> _DocLines:
    state = getattr(doc, "_matching", None)
    if state is None:
        state = doc._matching = _DocLines(doc, None)
    return state


def fullmatch_lines(doc, regex) -> list[int]:
    """Indexes (ascending) of the lines whose plain text `regex` matches in full."""
    return [index for index, _, _ in matches(doc, regex, FULL)]


def search_lines(doc, regex) -> list[tuple[int, int, int]]:
    """(line index, start, end) of the first match of `regex` in each line's plain text, ascending."""
    return matches(doc, regex, SEARCH)


def matches(doc, regex, mode: str) -> list[tuple[int, int, int]]:
    state = _state(doc)
    key = (id(regex), mode)
    found = state.results.get(key)
    if found is None:
        position = state.matcher.lookup(regex, mode) if state.matcher is not None else None
        previous = state.previous
        if position is not None:  # with a matcher, the Rust engine has answered every regex it holds
            found = list(state.answers[position])
        elif previous is not None and previous.regexes.get(key) is regex:
            found = _carried(state, previous.results[key], regex, mode)
        else:
            found = _scan(state, regex, mode)
        state.results[key], state.regexes[key] = found, regex
    return found


def _carried(state: _DocLines, earlier: list[tuple[int, int, int]], regex, mode: str) -> list[tuple[int, int, int]]:
    """A regex's matches from the previous pass's: a regex sees each line alone, so a line whose plain
    text the previous pass also held gets the same answer (and the same span), and only the lines new
    in this pass (those a removal cut into) are matched. Most passes after the first remove whole
    lines, so they match nothing again."""
    new = state.carry()[1]
    found = _kept_answers(state, earlier)
    if new:
        found.extend(_per_line(state, regex, mode, new))
    found.sort()
    return found


def _kept_answers(state: _DocLines, earlier: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The previous pass's matches (`earlier`) moved to this pass's lines of the same text: a regex sees
    each line alone, so such a line gets the same answer and span. Unsorted."""
    lines_of = state.carry()[0]
    plains = state.previous.plains
    spans = {plains[at]: (start, end) for at, start, end in earlier}  # a line's text, its span
    return [(index, start, end) for plain, (start, end) in spans.items() for index in lines_of.get(plain, ())]


def _scan(state: _DocLines, regex, mode: str) -> list[tuple[int, int, int]]:
    """RE2's answers, for a regex not in the matcher (one a kind made on the fly)."""
    if _ANCHORS_TEXT.search(regex.pattern) or _HEAVY.search(regex.pattern):
        return _per_line(state, regex, mode, range(len(state.plains)))
    multi = _multiline(regex, mode)
    # RE2's own call on the UTF-8 bytes of the joined text, from each match's end: the wrapper's
    # finditer would decode offsets and could not resume after a match that crosses a line break.
    data, starts = state.joined_bytes, state.byte_starts
    search = multi._regexp.Match
    found: list[tuple[int, int, int]] = []
    position, end_of_text, last_index = 0, len(data), -1
    for slice_end in state.slice_ends:
        while position <= slice_end:
            start, end = search(_UNANCHORED, data, position, slice_end)[0]
            if start < 0:
                break
            index = bisect_right(starts, start) - 1
            line_start = starts[index]
            line_end = starts[index + 1] - 1 if index + 1 < len(starts) else end_of_text
            if end > line_end:
                # The match crossed a line break: that line alone decides, and the scan resumes after it.
                if index != last_index:
                    found.extend(_per_line(state, regex, mode, (index,)))
                last_index, position = index, line_end + 1
                continue
            if index != last_index:  # a later match in the same line: search() reports the first
                plain = state.plains[index]
                if mode == FULL:
                    found.append((index, 0, len(plain)))
                else:
                    char_start = len(data[line_start:start].decode("utf-8"))
                    found.append((index, char_start, char_start + len(data[start:end].decode("utf-8"))))
                last_index = index
            position = end if end > start else end + 1  # past an empty match
        position = max(position, slice_end + 1)
    return found


_UNANCHORED = re2._Anchor.UNANCHORED
# A long text is searched in slices of about this many bytes, cut at line ends (a match never spans
# lines, so no answer changes). On a 15 MB text the scans took half the time in 64 KB slices as in
# one piece: a search that fills a DFA's cache gives up on the DFA and runs RE2's far slower NFA to the
# end of the text it was given, so the slower path is bounded to one slice.
_SLICE = 1 << 16
_BOTH = re2._Anchor.ANCHOR_BOTH
_NO_MATCH = (-1, -1)


def _per_line(state: _DocLines, regex, mode: str, indexes) -> list[tuple[int, int, int]]:
    found = []
    plains = state.plains
    if mode == FULL:
        # RE2's own call on each line's UTF-8 bytes: a full match spans the whole line, so the
        # wrapper's offset decoding is not needed.
        match, encoded = regex._regexp.Match, state.encoded
        for index in indexes:
            data = encoded[index]
            if match(_BOTH, data, 0, len(data))[0] != _NO_MATCH:
                found.append((index, 0, len(plains[index])))
        return found
    for index in indexes:
        match = regex.search(plains[index])
        if match is not None:
            found.append((index, *match.span()))
    return found


_MATCHERS: dict[tuple, LineMatcher] = {}
_MAX_MATCHERS = 16  # one per distinct list of active rules (site-scoped rules make a few)


def matcher_for(rules) -> LineMatcher:
    """The LineMatcher of a list of rules, compiled once per process and list. The cache key holds the
    rules themselves, so an id() inside a matcher cannot be reused by another regex while cached."""
    key = tuple(rules)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        if len(_MATCHERS) >= _MAX_MATCHERS:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        regexes = [(pair, rule.max_answer_chars()) for rule in key for pair in rule.line_regexes()]
        matcher = _MATCHERS[key] = LineMatcher([pair for pair, _ in regexes],
                                               [(rule, keys) for rule in key if (keys := rule.phrase_keys()) is not None],
                                               [most for _, most in regexes])
    return matcher
