"""Lint rule files: every problem in one pass, where loading stops at the first.

Errors: a file or rule the loader refuses (unknown keys, bad patterns, missing keys), duplicate ids, a
rule without remove examples, and a rule that removes text from the clean-prose corpus (a rule likely to
eat articles). Warnings: a rule without keep examples (nothing shows what it must leave alone), and a
pattern with a large bounded repeat (slow on RE2, see _slow_patterns).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .engine import clean
from .errors import RuleError
from .io import SUPPORTED, input_format
from .kinds import KINDS, PageRule, Rule
from .learn import iter_sources
from .ruleset import RuleSet, _label, _read_specs, build_rule, rule_files, shipped_rules_dir

# The corpus shipped in a source checkout: articles and sentences no rule should touch.
def default_corpus() -> Path:
    """The clean-prose corpus: installed beside the package as cleaner/prose, or fixtures/clean-prose in a
    source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "prose"
    return installed if installed.is_dir() else package.parent / "fixtures" / "clean-prose"

# A bounded repeat this large ("{0,200}") makes RE2 build a much larger automaton: on whole pages such
# patterns made a rule file 18x slower than the same patterns with ".*" bounded by max_chars.
_LARGE_BOUND = re.compile(r"\{\d*,(\d{3,})\}")

# Kinds that remove nothing from text by themselves, so neither remove examples nor the corpus apply.
_NO_TEXT_REMOVAL = {"protect"} | {kind for kind, cls in KINDS.items() if issubclass(cls, PageRule)}


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    file: str
    rule: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}: rule {self.rule}" if self.rule else self.file
        return f"{self.severity}: {where}: {self.problem}"


def load_corpus(path: Path) -> list[tuple[str, str]]:
    """(name, text) of every document under `path`, named relative to it; a README says what the
    corpus is and is not part of it."""
    documents = []
    for source in iter_sources([path]):
        if source.path.name.lower().startswith("readme"):
            continue
        name = source.path.relative_to(path).as_posix() if path.is_dir() else source.path.name
        documents.append((name if source.record is None else f"{name}#{source.record}", source.text))
    return documents


def lint(paths: Iterable[str | Path], defaults: bool = True, corpus: Path | None = None,
         disable: Iterable[str] = ()) -> tuple[list[Finding], int]:
    """All findings for the rule files less the rules in `disable` (as `clean --disable` leaves them out),
    and the number of rules read. A missing path, or an unknown id in `disable`, raises RuleError."""
    paths = list(paths)
    disabled = set(disable)
    if defaults:
        paths.insert(0, shipped_rules_dir())
    findings: list[Finding] = []
    rules: list[Rule] = []
    origin: dict[str, str] = {}
    for file in rule_files(paths):
        label = _label(file)
        try:
            specs = _read_specs(file, label)
        except RuleError as exc:
            findings.append(Finding("error", exc.file, exc.rule, exc.problem))
            continue
        for spec in specs:
            try:
                rule = build_rule(spec, label)
            except RuleError as exc:
                findings.append(Finding("error", exc.file, exc.rule, exc.problem))
                continue
            rule_id = rule.meta.id
            if rule_id in disabled:
                origin.setdefault(rule_id, label)
                continue
            if rule_id in origin:
                findings.append(Finding("error", label, rule_id, f"duplicate id: also defined in {origin[rule_id]}"))
                continue
            origin[rule_id] = label
            rules.append(rule)
            findings += _examples(rule) + _slow_patterns(rule)
    unknown = sorted(disabled - origin.keys())
    if unknown:
        raise RuleError("--disable", unknown[0], "no such rule in the loaded files (`cleaner rules list` shows the ids)")
    findings += _corpus_findings(rules, corpus)
    return findings, len(rules)


def _examples(rule: Rule) -> list[Finding]:
    meta = rule.meta
    found = []
    # A protect rule's remove examples are the look-alikes it must not guard: it needs them too.
    if not meta.examples_remove and (meta.kind not in _NO_TEXT_REMOVAL or meta.kind == "protect"):
        found.append(Finding("error", meta.file, meta.id, "no examples: add examples.remove (and examples.keep)"))
    if not meta.examples_keep:
        found.append(Finding("warning", meta.file, meta.id, "no keep examples: show what the rule must leave alone"))
    return found


def _slow_patterns(rule: Rule) -> list[Finding]:
    for regex, _ in rule.line_regexes():
        bound = _LARGE_BOUND.search(regex.pattern)
        if bound:
            return [
                Finding(
                    "warning",
                    rule.meta.file,
                    rule.meta.id,
                    f"bounded repeat {bound.group(0)} is slow on RE2: use .* and bound the line with max_chars",
                )
            ]
    return []


def _corpus_findings(rules: list[Rule], corpus: Path | None) -> list[Finding]:
    path = corpus if corpus is not None else default_corpus()
    if not path.exists():
        if corpus is not None:
            raise RuleError(str(path), None, "no such corpus file or folder")
        return [Finding("warning", str(path), None, "no clean-prose corpus here: pass --corpus to check rules on prose")]
    if path.is_file() and input_format(path) is None:
        raise RuleError(str(path), None, f"the corpus must be files cleaner reads ({SUPPORTED})")
    documents = load_corpus(path)
    # Protect rules stay on: a prose line they guard is not at risk, whatever else matches it.
    protects = tuple(rule for rule in rules if rule.meta.kind == "protect")
    found = []
    for rule in rules:
        if rule.meta.kind in _NO_TEXT_REMOVAL:
            continue
        alone = RuleSet((rule, *protects), "lint")
        site = rule.meta.sites[0] if rule.meta.sites else None  # a site-scoped rule checked on its site
        hits = [(name, removal) for name, text in documents for removal in clean(text, rules=alone, site=site).removals]
        if hits:
            name, first = hits[0]
            shown = first.text if len(first.text) <= 100 else first.text[:99] + "…"
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            found.append(
                Finding("error", rule.meta.file, rule.meta.id, f"removes clean prose: {name} line {first.line}: {shown!r}{more}")
            )
    return found
