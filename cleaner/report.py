"""The report: one JSON line per document (report.jsonl) and the end-of-run summary."""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = ("cleaned", "unchanged", "guarded", "failed", "skipped")
LISTED_DOCUMENTS = 20  # failed/skipped and guarded documents named in the summary
TEXTS_PER_RULE = 2000
_NUMBER = re.compile(r"[0-9]+")


def _fold(text: str, limit: int = 120) -> str:
    folded = _NUMBER.sub("#", " ".join(text.split()))
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


class ReportWriter:
    """Writes records as they come to a temporary file, renamed into place when the run closes it,
    so a report on disk is always a whole one."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self._handle = open(self._temporary, "w", encoding="utf-8", newline="\n")

    def write(self, record: dict) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._handle.close()
        os.replace(self._temporary, self.path)

    def __enter__(self) -> "ReportWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


@dataclass
class Summary:
    statuses: Counter = field(default_factory=Counter)
    chars_in: int = 0
    chars_out: int = 0
    removals_by_rule: Counter = field(default_factory=Counter)
    chars_by_rule: Counter = field(default_factory=Counter)
    docs_by_rule: Counter = field(default_factory=Counter)
    texts_by_rule: dict[str, Counter] = field(default_factory=dict)  # what each rule removed, folded
    file_by_rule: dict[str, str] = field(default_factory=dict)
    # The first documents that failed or were guarded, for the summary; the counts are in `statuses`.
    # Capped, so a batch with millions of failures does not hold them all.
    failures: list[tuple[str, str]] = field(default_factory=list)
    guarded: list[tuple[str, str]] = field(default_factory=list)

    def add(self, record: dict) -> None:
        self.statuses[record["status"]] += 1
        self.chars_in += record.get("chars_in", 0)
        self.chars_out += record.get("chars_out", 0)
        for rule in {r["rule"] for r in record.get("removals", [])}:
            self.docs_by_rule[rule] += 1
        for removal in record.get("removals", []):
            self.removals_by_rule[removal["rule"]] += 1
            self.chars_by_rule[removal["rule"]] += max(0, removal["end"] - removal["start"])
            self.file_by_rule.setdefault(removal["rule"], removal.get("file", ""))
            self._count_text(removal["rule"], removal.get("text", ""))
        where = record["source"] + (f" (record {record['id']})" if "id" in record else "")
        if record["status"] in ("failed", "skipped") and len(self.failures) < LISTED_DOCUMENTS:
            self.failures.append((where, record.get("error", "")))
        elif record["status"] == "guarded" and len(self.guarded) < LISTED_DOCUMENTS:
            self.guarded.append((where, record.get("guard", "")))

    def _count_text(self, rule: str, text: str) -> None:
        """Removed strings per rule, numbers folded to # so counters and dates group; the distinct
        strings kept per rule are capped, as a batch can remove millions of different ones."""
        key = _fold(text)
        texts = self.texts_by_rule.setdefault(rule, Counter())
        if key in texts or len(texts) < TEXTS_PER_RULE:
            texts[key] += 1

    def top_texts(self, rule: str, n: int = 5) -> list[tuple[str, int]]:
        return self.texts_by_rule.get(rule, Counter()).most_common(n)

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    @property
    def ok(self) -> bool:
        return not (self.statuses["failed"] or self.statuses["skipped"])

    def render(self, top: int = 10) -> str:
        removed = self.chars_in - self.chars_out
        share = f" ({removed / self.chars_in:.1%})" if self.chars_in else ""
        counts = ", ".join(f"{self.statuses[s]} {s}" for s in STATUSES if self.statuses[s])
        lines = [f"{self.documents} documents: {counts or 'none'}", f"{removed:,} of {self.chars_in:,} characters removed{share}"]
        if self.removals_by_rule:
            lines.append("top rules (removals, documents, characters, most frequent removal):")
            for rule, count in self.removals_by_rule.most_common(top):
                text, times = (self.top_texts(rule, 1) or [("", 0)])[0]
                shown = repr(text if len(text) <= 40 else text[:39] + "…")
                lines.append(
                    f"  {rule:<32} {count:>7} {self.docs_by_rule[rule]:>7} {self.chars_by_rule[rule]:>10,}  {shown} x{times}"
                )
        failed = self.statuses["failed"] + self.statuses["skipped"]
        lines += _listing(f"{failed} failed or skipped:", self.failures, failed)
        lines += _listing(f"{self.statuses['guarded']} guarded (the rules left almost nothing):", self.guarded, self.statuses["guarded"])
        return "\n".join(lines)


def _listing(title: str, listed: list[tuple[str, str]], total: int) -> list[str]:
    if not total:
        return []
    lines = [title] + [f"  {where}: {why}" for where, why in listed]
    if total > len(listed):
        lines.append(f"  ... and {total - len(listed)} more (see the report)")
    return lines
