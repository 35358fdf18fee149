"""Run the rules over a Document, resolve their spans into removals, and build the Result.

Every character that leaves the document leaves inside exactly one Removal: overlapping spans are
trimmed so no text is counted twice, and protected lines are cut out of any span that covers them.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace

from .document import Document
from .matching import attach, matcher_for
from .native import engine as _engine, native_text
from .guardrail import Guardrail
from .kinds import Rule
from .model import Removal, Result
from .ruleset import RuleSet, default_rules


# Removing junk can uncover more: a teaser list now follows the last prose line, the article's core
# moves, a line enters a rule's zone. So the rules run again on the output until a pass finds nothing,
# which makes cleaning a cleaned text a no-op (idempotence). Most documents need two passes (the second
# finds nothing); a cascade of copies for the `duplicate` kind took six in the fuzz run. The cap bounds
# pathological inputs.
MAX_PASSES = 8
_DEFAULT_GUARDRAIL = Guardrail()  # frozen: one for every call that brings none


def clean(
    text: str, rules: RuleSet | None = None, site: str | None = None, *, guardrail: Guardrail | None = None
) -> Result:
    """Clean one document's text. `site` (a host name) enables rules scoped with `sites:`;
    `guardrail` decides when so much went that the document is `guarded` (see guardrail.py)."""
    rules = rules if rules is not None else default_rules()
    guardrail = guardrail if guardrail is not None else _DEFAULT_GUARDRAIL
    safe = native_text(text)
    result, rendered = _clean(safe, rules, site, guardrail)
    if safe is not text:
        result = _with_surrogates(result, rendered, text)
    return result


def _clean(text: str, rules: RuleSet, site: str | None, guardrail: Guardrail):
    """clean() on a text without lone surrogates; the Rendered its output came from, or None when the
    output is the text as it came."""
    doc = Document(text)
    active = rules.for_site(site)
    removals = _removals(doc, active)
    rendered = _render(doc, removals)
    output = rendered.text
    seen, last = text, doc
    if not removals and _same_lines(doc, output):
        seen = output  # only line breaks changed (\r\n, final blank lines): a pass would find nothing again
    for _ in range(MAX_PASSES - 1):
        if output == seen:
            break  # the last pass already ran on exactly this text
        last, earlier = Document(output), last
        more = _removals(last, active, earlier)
        if not more:
            break
        removals = sorted(removals + _map_back(doc, more, rendered, removals), key=lambda r: r.start)
        seen = output
        rendered = _render(doc, removals)
        output = rendered.text
    guard = guardrail.verdict(text, output, removals)
    if guard is None:
        status = "cleaned" if removals else "unchanged"
        if not removals:
            # Nothing was removed, so nothing is rewritten: the text comes back as it came, its line
            # endings, trailing spaces and final newline (or none) too.
            output, rendered = text, None
    else:
        status = "guarded"
        if guardrail.mode == "keep":
            output, removals, guard, rendered = text, [], f"kept whole: {guard}", None
    return Result(text=output, removals=removals, chars_in=len(text), status=status, guard=guard), rendered


def _with_surrogates(result: Result, rendered, text: str) -> Result:
    """`result`, found on `text` with its lone surrogates made U+FFFD (see native_text), with the
    surrogates back in its output and removals: every offset is the same in both texts."""
    removals = [replace(removal, text=text[removal.start:removal.end]) for removal in result.removals]
    if rendered is None:
        return replace(result, text=text, removals=removals)
    parts, at = [], 0
    for out_at, in_at, length in rendered.segments:
        parts += [result.text[at:out_at], text[in_at:in_at + length]]  # the line breaks between, then a piece
        at = out_at + length
    parts.append(result.text[at:])
    return replace(result, text="".join(parts), removals=removals)


def _same_lines(doc: Document, output: str) -> bool:
    """Whether `output` holds exactly `doc`'s lines, less empty lines at its end. The rules see lines
    (their text and features, their order), never the breaks between them, and offsets only to make
    spans: a pass over such an output finds what the pass over `doc` found. An empty line after the
    last content is nothing to any of them: every walk over lines skips blank ones or stops at them as
    at the end, a regex that matches one is used only for lines with text, and a span on it is empty.
    The output has no \r, so it splits as the Document would split it."""
    return doc.native.same_lines(output)


def _removals(doc: Document, rules: list[Rule], previous: Document | None = None) -> list[Removal]:
    """The removals the rules find in `doc`; `previous`, the pass `doc`'s text came out of, lends its
    regex answers for the lines both hold."""
    protected, found = _find_spans(doc, rules, previous)
    return _resolve(doc, found, protected, rules)


def _map_back(doc: Document, more: list[Removal], rendered, removals: list[Removal]) -> list[Removal]:
    """Removals found in an output, moved to offsets in the input `doc`, minus what is already removed
    there (so every input character stays in at most one removal)."""
    pieces = rendered.map_back(doc.native, [(r.start, r.end) for r in more],
                               [(r.start, r.end) for r in removals])
    return [replace(more[index], start=start, end=end, line=line, text=doc.text[start:end])
            for start, end, index, line in pieces]


def _find_spans(doc: Document, rules: list[Rule], previous: Document | None = None):
    """The rules' spans as (start, end, order, reason, anchor) tuples (`order`: the rule's place in
    `rules`), and the protected ranges, (start, end) each: one call to the rule list's Rust engine."""
    matcher = matcher_for(rules)
    attach(doc, matcher, previous)  # the rules' line regexes in one pass over the document
    found, protected = _rules_engine(rules, matcher).run(doc.native, doc._matching.answers)
    return protected, found


def _rules_engine(rules: list[Rule], matcher):
    """The rule list's Rust engine (src/engine.rs), made once and kept with the list's matcher: each
    rule's Rust object, the matcher positions of the regexes its kind reads and of all its regexes, its
    zone and its reasons."""
    if matcher.rules_engine is None:
        specs = []
        for rule in rules:
            slots = [None if regex is None else matcher.lookup(regex, mode) for regex, mode in rule.native_slots()]
            positions = matcher.positions_of(rule)  # None: a regex the matcher lacks, so never skipped
            specs.append(rule.engine_spec(slots, sorted(positions or ()), rule.needs_a_match and positions is not None,
                                          rule.meta.zone))
        matcher.rules_engine = _engine.Engine(specs, matcher.phrases)
    return matcher.rules_engine


# The kinds whose rules describe one junk family each, line by line: a run of lines found by one of
# them leaves the lines where another begins to that other rule.
_FAMILY_KINDS = frozenset({"line", "phrase", "block", "tail"})


def _other_families_apart(found, rules: list[Rule]) -> list:
    """Each run of lines (a span with an anchor: a block from its start line, a teaser list around its
    marker) without the lines where another family's rule begins a span: those lines are that rule's
    removals, under its own reason (the tags, the comment count and the newsletter box inside a teaser
    list), and the run goes on around them. A piece of the run beyond such a line says so in its reason
    ("run on from <reason>, past a <rule> removal"): the comments after a teaser list's newsletter box
    are in the run, not teasers. What is removed does not change, only who removed it and why.
    (Stopping the run at such a line instead kept teaser headlines after a photo label, and cost F1 on
    the check sets: see bench/README.md.)"""
    if not any(span[4] >= 0 for span in found):
        return found
    others = sorted((start, end, rules[order].meta.id) for start, end, order, _, _ in found
                    if rules[order].meta.kind in _FAMILY_KINDS)
    other_starts = [start for start, _, _ in others]
    out = []
    for span in found:
        span_start, span_end, order, span_reason, anchor = span
        if anchor < 0:
            out.append(span)
            continue
        rule_id = rules[order].meta.id
        first, last = bisect_left(other_starts, span_start), bisect_left(other_starts, span_end)
        inside = [(start, end, other) for start, end, other in others[first:last]
                  if other != rule_id and not start <= anchor < end]
        if not inside:
            out.append(span)
            continue
        reason = span_reason.rstrip(".")
        starts = [start for start, _, _ in inside]
        for piece_start, piece_end in _Ranges((start, end) for start, end, _ in inside).cut(span_start, span_end):
            past = _passed(inside, starts, anchor, piece_start, piece_end)
            piece_reason = f"run on from {reason}, past a {past} removal" if past else span_reason
            out.append((piece_start, piece_end, order, piece_reason, anchor))
    return out


def _passed(inside: list[tuple[int, int, str]], starts: list[int], anchor: int, start: int, end: int) -> str | None:
    """The rule of the other family's removal nearest to [start, end) between it and the run's anchor
    line, if any: the piece is in the run only because the run goes on past that removal. `inside` is
    sorted by start (`starts`), and a bisect finds it (a run on a 20 MB page may go past thousands)."""
    if start > anchor:
        at = bisect_left(starts, start) - 1
        return inside[at][2] if at >= 0 and inside[at][0] >= anchor else None
    at = bisect_left(starts, end)
    return inside[at][2] if at < len(inside) and inside[at][1] <= anchor else None


def _resolve(doc: Document, found, protected: list[tuple[int, int]], rules: list[Rule]) -> list[Removal]:
    """Non-overlapping removals: an earlier-starting (then longer, then earlier-listed) span wins, less
    the protected ranges and white space at either end (the Rust engine's `resolve`)."""
    found = _other_families_apart(found, rules)
    pieces = _engine.resolve(doc.native, [span[:3] for span in found], protected)
    text = doc.text
    removals = []
    for start, end, index, line in pieces:
        _, _, order, reason, _ = found[index]
        meta = rules[order].meta
        removals.append(Removal(meta.id, meta.file, start, end, line, text[start:end], reason))
    return removals


class _Ranges:
    """Character ranges merged into disjoint sorted ones, built once, so cutting them out of a span
    costs a bisect, not a pass over all of them (documents with thousands of removals)."""

    def __init__(self, pairs):
        merged: list[list[int]] = []
        for start, end in sorted(pairs):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def cut(self, start: int, end: int):
        """The pieces of [start, end) outside every range."""
        cursor = start
        index = bisect_right(self.ends, start)  # the first range that ends after `start`
        while index < len(self.starts) and self.starts[index] < end:
            if self.starts[index] > cursor:
                yield cursor, self.starts[index]
            cursor = max(cursor, self.ends[index])
            index += 1
        if cursor < end:
            yield cursor, end


def render(doc: Document, removals: list[Removal]) -> str:
    """The kept text: a line emptied by removals disappears with its break, blank runs fold to one,
    no blank line at the start or end, one trailing newline, \\n line endings, no BOM."""
    return _render(doc, removals).text


def _render(doc: Document, removals: list[Removal]):
    """render(), as the Rust engine's `Rendered`: the text, and where each of its pieces came from, so
    that removals found in it can be moved back to the input (`map_back`)."""
    return _engine.render(doc.native, [(r.start, r.end) for r in removals])
