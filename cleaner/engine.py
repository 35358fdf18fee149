"""Run the rules over a Document, resolve their spans into removals, and build the Result.

Every character that leaves the document leaves inside exactly one Removal: overlapping spans are
trimmed so no text is counted twice, and protected lines are cut out of any span that covers them.
"""
from __future__ import annotations

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
        last, earlier = Document(output, rendered.document(doc.native)), last
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
    """The removals the rules find in `doc`, in text order: one call to the rule list's Rust engine,
    which runs the rules, parts runs of lines where another family's rule begins, resolves the spans
    and makes the Removals (src/engine.rs). `previous`, the pass `doc`'s text came out of, lends its
    regex answers for the lines both hold."""
    matcher = matcher_for(rules)
    attach(doc, matcher, previous)  # the rules' line regexes in one pass over the document
    return _rules_engine(rules, matcher).removals(doc.native, doc._matching.answers, doc.text)


def _map_back(doc: Document, more: list[Removal], rendered, removals: list[Removal]) -> list[Removal]:
    """Removals found in an output, moved to offsets in the input `doc`, minus what is already removed
    there (so every input character stays in at most one removal)."""
    pieces = rendered.map_back(doc.native, [(r.start, r.end) for r in more],
                               [(r.start, r.end) for r in removals])
    return [replace(more[index], start=start, end=end, line=line, text=doc.text[start:end])
            for start, end, index, line in pieces]


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
        matcher.rules_engine = _engine.Engine(specs, matcher.phrases, [rule.meta.id for rule in rules],
                                              (Removal, [rule.meta.file for rule in rules]))
    return matcher.rules_engine


def render(doc: Document, removals: list[Removal]) -> str:
    """The kept text: a line emptied by removals disappears with its break, blank runs fold to one,
    no blank line at the start or end, one trailing newline, \\n line endings, no BOM."""
    return _render(doc, removals).text


def _render(doc: Document, removals: list[Removal]):
    """render(), as the Rust engine's `Rendered`: the text, and where each of its pieces came from, so
    that removals found in it can be moved back to the input (`map_back`)."""
    return _engine.render(doc.native, [(r.start, r.end) for r in removals])
