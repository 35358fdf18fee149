"""Show one document with its removals in place: struck through and coloured by rule, the rule id
beside each, then a legend. Plain markers ([-removed-]{rule-id}) where colour is off."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .sites import site_from_path
from .engine import clean
from .html import clean_html
from .learn import read_file
from .model import Removal, Result
from .ruleset import RuleSet
from .textsafe import visible

# Foreground colours that read on dark and light terminals; rules take them in order of appearance.
_PALETTE = (31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96)
_RESET = "\x1b[0m"
_STRIKE = "\x1b[9m"
_DIM = "\x1b[2m"


def _colour(code: int) -> str:
    return f"\x1b[{code}m"


def colours_for(removals: list[Removal]) -> dict[str, int]:
    order: dict[str, int] = {}
    for removal in removals:
        order.setdefault(removal.rule, _PALETTE[len(order) % len(_PALETTE)])
    return order


def explain_file(path: Path, rules: RuleSet, site: str | None, colour: bool, text_field: str = "text") -> str:
    """Every document of the file explained (one, or one per record of JSONL with a string `text_field`,
    WET, WARC or Parquet): "" when there is none. The site, unless given, comes from a folder of the path
    named like a host, or from a record's url."""
    site = site or site_from_path(path)
    out = []
    for source in read_file(path, site, rules=rules, text_field=text_field):
        if source.page is not None:
            result = clean_html(source.page, rules=rules, site=source.site)
        else:
            result = clean(source.text, rules=rules, site=source.site)
        if source.record is not None:
            out.append(visible(f"== record {source.record}" + (f" ({source.site})" if source.site else "")) + "\n")
        out.append(explain(source.text, result, colour))
    return "".join(out)


def explain(text: str, result: Result, colour: bool) -> str:
    """`text` (the cleaned document's input) with every removal of `result` marked. Removals from an
    HTML page's DOM (no offsets: they never reached the text) are listed first."""
    colours = colours_for(result.removals)
    out: list[str] = []
    dom = [r for r in result.removals if r.start < 0]
    if dom:
        out.append("-- removed from the page before text extraction:\n")
        out += [_mark(visible(r.text), r.rule, colours[r.rule], colour) + "\n" for r in dom]
        out.append("--\n")
    position = 0
    for removal in sorted((r for r in result.removals if r.start >= 0), key=lambda r: r.start):
        # The page's own control characters are shown, never sent: they could drive the terminal.
        out.append(visible(text[position:removal.start]))
        out.append(_mark(visible(text[removal.start:removal.end]), removal.rule, colours[removal.rule], colour))
        position = removal.end
    out.append(visible(text[position:]))
    body = "".join(out)
    if not body.endswith("\n"):
        body += "\n"
    return body + _legend(result, colours, colour)


def _mark(fragment: str, rule: str, code: int, colour: bool) -> str:
    if not colour:
        return f"[-{fragment}-]{{{rule}}}"
    # Codes are closed and reopened at each line break: pagers and terminals reset them per line.
    lines = fragment.split("\n")
    marked = [f"{_colour(code)}{_STRIKE}{line}{_RESET}" if line.strip() else line for line in lines]
    return "\n".join(marked) + f" {_DIM}{_colour(code)}[{rule}]{_RESET}"


def _legend(result: Result, colours: dict[str, int], colour: bool) -> str:
    removed = result.chars_in - result.chars_out
    lines = [f"-- {len(result.removals)} removals, {removed:,} of {result.chars_in:,} characters ({result.status})"]
    counts = Counter(r.rule for r in result.removals)
    reasons = {r.rule: (r.reason, r.file) for r in result.removals}
    for rule, code in colours.items():
        reason, file = reasons[rule]
        name = f"{_colour(code)}{rule}{_RESET}" if colour else rule
        lines.append(f"   {name} x{counts[rule]}: {visible(reason)} ({visible(file)})")
    return "\n".join(lines) + "\n"
