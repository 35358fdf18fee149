"""Run the rules over a Document, resolve their spans into removals, and build the Result.

Every character that leaves the document leaves inside exactly one Removal: overlapping spans are
trimmed so no text is counted twice, and protected lines are cut out of any span that covers them.
"""
from __future__ import annotations

from bisect import bisect_right

from .document import Document
from .kinds import Rule
from .model import Removal, Result, Span
from .ruleset import RuleSet, default_rules


def clean(text: str, rules: RuleSet | None = None, site: str | None = None) -> Result:
    """Clean one document's text. `site` (a host name) enables rules scoped with `sites:`."""
    rules = rules if rules is not None else default_rules()
    doc = Document(text)
    active = rules.for_site(site)
    protected, found = _find_spans(doc, active)
    removals = _resolve(doc, found, protected)
    output = render(doc, removals)
    status = "cleaned" if removals else "unchanged"
    return Result(text=output, removals=removals, chars_in=len(text), status=status)


def _find_spans(doc: Document, rules: list[Rule]) -> tuple[list[Span], list[tuple[Span, Rule, int]]]:
    protected: list[Span] = []
    found: list[tuple[Span, Rule, int]] = []
    line_starts = [line.start for line in doc.lines]
    for order, rule in enumerate(rules):
        for span in rule.find(doc):
            if rule.meta.zone != "any":
                first_line = bisect_right(line_starts, span.start) - 1
                if doc.zone(first_line) != rule.meta.zone:
                    continue
            if rule.meta.kind == "protect":
                protected.append(span)
            else:
                found.append((span, rule, order))
    return protected, found


def _resolve(doc: Document, found, protected: list[Span]) -> list[Removal]:
    """Non-overlapping removals: an earlier-starting (then longer, then earlier-listed) span wins."""
    found.sort(key=lambda item: (item[0].start, -item[0].end, item[2]))
    pieces: list[tuple[int, int, Rule]] = []
    covered_until = 0
    for span, rule, _ in found:
        start = max(span.start, covered_until)
        if start >= span.end:
            continue
        for piece_start, piece_end in _subtract(start, span.end, protected):
            pieces.append((piece_start, piece_end, rule))
        covered_until = span.end
    line_starts = [line.start for line in doc.lines]
    removals = []
    for start, end, rule in pieces:
        start, end = _trim_whitespace(doc.text, start, end)
        if start >= end:
            continue
        removals.append(
            Removal(
                rule=rule.meta.id,
                file=rule.meta.file,
                start=start,
                end=end,
                line=bisect_right(line_starts, start),
                text=doc.text[start:end],
                reason=rule.meta.reason,
            )
        )
    return removals


def _subtract(start: int, end: int, protected: list[Span]):
    """[start, end) minus every protected span."""
    cursor = start
    for guard in sorted(protected):
        if guard.end <= cursor or guard.start >= end:
            continue
        if guard.start > cursor:
            yield cursor, guard.start
        cursor = max(cursor, guard.end)
    if cursor < end:
        yield cursor, end


def _trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def render(doc: Document, removals: list[Removal]) -> str:
    """The kept text: a line emptied by removals disappears with its break, blank runs fold to one,
    no blank line at the start or end, one trailing newline, \\n line endings, no BOM."""
    out: list[str] = []
    cuts = [(r.start, r.end) for r in removals]
    cut = 0
    for line in doc.lines:
        while cut < len(cuts) and cuts[cut][1] <= line.start:
            cut += 1
        kept, position, probe = [], line.start, cut
        while probe < len(cuts) and cuts[probe][0] < line.end:
            cut_start, cut_end = cuts[probe]
            if cut_start > position:
                kept.append(doc.text[position:cut_start])
            position = max(position, cut_end)
            probe += 1
        if position < line.end:
            kept.append(doc.text[position:line.end])
        text = "".join(kept).rstrip()
        if line.index == 0:
            text = text.lstrip("\ufeff")
        if not text.strip():
            if line.plain:
                continue  # emptied by a removal: the line goes, and its break with it
            text = ""
        if text == "" and (not out or out[-1] == ""):
            continue
        out.append(text)
    while out and out[-1] == "":
        out.pop()
    if not out:
        return ""
    return "\n".join(out) + "\n"
