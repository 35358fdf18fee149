"""The report: one JSON line per document (report.jsonl) and the end-of-run summary."""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .digest import Digest, digest_of

STATUSES = ("cleaned", "unchanged", "guarded", "failed", "skipped")
LISTED_DOCUMENTS = 20  # failed/skipped and guarded documents named in the summary
TEXTS_PER_RULE = 2000


class ReportRecord:
    """One report record in the forms its consumers need: the dict, its JSON line (report.jsonl) and its
    Digest (the summary), each made at most once, from whichever form it was given.

    It pickles as its line and digest only: a worker process sends those, so the parent of a parallel
    batch neither unpickles the removals nor encodes or counts them again. `record` decodes the line
    back when a consumer wants the dict (the audit page, run()'s callers).
    """

    __slots__ = ("_record", "_line", "_digest")

    def __init__(self, record: dict | None = None, line: str | None = None, digest: Digest | None = None):
        self._record, self._line, self._digest = record, line, digest

    @property
    def record(self) -> dict:
        if self._record is None:
            self._record = json.loads(self._line)
        return self._record

    @property
    def line(self) -> str:
        """The record's line in report.jsonl, without its newline."""
        if self._line is None:
            self._line = json.dumps(self._record, ensure_ascii=False)
        return self._line

    @property
    def digest(self) -> Digest:
        if self._digest is None:
            self._digest = digest_of(self.record)
        return self._digest

    def __reduce__(self):
        return ReportRecord, (None, self.line, self.digest)


class ReportWriter:
    """Writes records as they come to a temporary file, renamed into place when the run closes it,
    so a report on disk is always a whole one."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self._handle = open(self._temporary, "w", encoding="utf-8", newline="\n")

    def write(self, record: dict) -> None:
        self.write_line(ReportRecord(record).line)

    def write_line(self, line: str) -> None:
        """A record already encoded (ReportRecord.line)."""
        self._handle.write(line + "\n")

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
        self.merge(digest_of(record))

    def merge(self, digest: Digest) -> None:
        """Count one record by its digest: the same totals as counting its removals one by one."""
        status = digest.status
        self.statuses[status] += 1
        self.chars_in += digest.chars_in
        self.chars_out += digest.chars_out
        for rule, tally in digest.rules.items():
            self.docs_by_rule[rule] += 1
            self.removals_by_rule[rule] += tally.removals
            self.chars_by_rule[rule] += tally.chars
            if rule not in self.file_by_rule:
                self.file_by_rule[rule] = tally.file
            self._count_texts(rule, tally.texts)
        if status in ("failed", "skipped") and len(self.failures) < LISTED_DOCUMENTS:
            self.failures.append((digest.where, digest.why))
        elif status == "guarded" and len(self.guarded) < LISTED_DOCUMENTS:
            self.guarded.append((digest.where, digest.why))

    def _count_texts(self, rule: str, counted: dict[str, int]) -> None:
        """Removed strings per rule, numbers folded to # so counters and dates group; the distinct
        strings kept per rule are capped, as a batch can remove millions of different ones. A string
        is kept or left by the state when it first comes, so adding a record's strings in the order
        they first came counts exactly as adding its removals one by one."""
        texts = self.texts_by_rule.get(rule)
        if texts is None:
            texts = self.texts_by_rule[rule] = Counter()
        for key, times in counted.items():
            if key in texts or len(texts) < TEXTS_PER_RULE:
                texts[key] += times

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
