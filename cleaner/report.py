"""The report: one JSON line per document (report.jsonl) and the end-of-run summary."""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .digest import Digest, digest_of
from .errors import CleanerError
from .output import make_readable
from .textsafe import has_surrogates, json_safe, path_text, visible

try:
    import fcntl
except ImportError:  # not POSIX: journals are not locked
    fcntl = None

STATUSES = ("cleaned", "unchanged", "guarded", "failed", "skipped")
LISTED_DOCUMENTS = 20  # failed/skipped and guarded documents named in the summary
TEXTS_PER_RULE = 2000


# Where a record dict carries the text its offsets refer to, for the audit page (batch.Options.keep_text);
# ReportRecord takes it out, so it never reaches the report.
TEXT_KEY = "\x00text"


def record_for(source, output, status: str, result=None, rules=None, error: str | None = None) -> dict:
    """The report record of one document (the one builder of them: the batch's and stdin's): `result`
    a model.Result when it was cleaned, `rules` the RuleSet whose hash it carries, `error` why it
    failed or was skipped."""
    record = {"source": path_text(source), "output": path_text(output) if output else None, "status": status}
    if error:
        record["error"] = error
    if result is not None and result.guard:
        record["guard"] = result.guard
    record["chars_in"] = result.chars_in if result else 0
    record["chars_out"] = result.chars_out if result else 0
    record["rules_hash"] = rules.hash if rules else None
    record["removals"] = [r.to_dict() for r in result.removals] if result else []
    return record


class ReportRecord:
    """One report record in the forms its consumers need: the dict, its JSON line (report.jsonl) and its
    Digest (the summary), each made at most once, from whichever form it was given.

    It pickles as its line and digest only: a worker process sends those, so the parent of a parallel
    batch neither unpickles the removals nor encodes or counts them again. `record` decodes the line
    back when a consumer wants the dict (the audit page, run()'s callers).
    """

    __slots__ = ("_record", "_line", "_digest", "text", "reused")

    def __init__(self, record: dict | None = None, line: str | None = None, digest: Digest | None = None,
                 text: str | None = None, reused: bool = False):
        self._record, self._line, self._digest = record, line, digest
        self.text = text  # the text the removals' offsets refer to, for the audit page; not in the line
        self.reused = reused  # copied from the last run's report: the output was up to date

    @property
    def record(self) -> dict:
        if self._record is None:
            self._record = json.loads(self._line)
        return self._record

    @property
    def line(self) -> str:
        """The record's line in report.jsonl, without its newline."""
        if self._line is None:
            line = json.dumps(self._record, ensure_ascii=False)
            if has_surrogates(line):  # UTF-8 cannot hold them: show them as text instead
                line = json.dumps(_json_safe(self._record), ensure_ascii=False)
            if not line.isascii() and any(c in line for c in _BREAKS):  # escaped: no reader splits the record
                line = _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
            self._line = line
        return self._line

    @property
    def digest(self) -> Digest:
        if self._digest is None:
            self._digest = digest_of(self.record)
        return self._digest

    def __reduce__(self):
        return ReportRecord, (None, self.line, self.digest, self.text)


# What str.splitlines() and other readers take for line breaks besides \n and \r. JSON escapes \x1c-\x1e
# (every control character), so a line of ASCII holds none of them raw.
_BREAKS = "\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAKS = re.compile(f"[{_BREAKS}]")


def _json_safe(value):
    if isinstance(value, str):
        return json_safe(value)
    if isinstance(value, dict):
        return {_json_safe(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


class ReportWriter:
    """Writes records as they come to a journal beside the report, renamed into place by commit(), so a
    report on disk is always a whole one.

    A run that does not end well (an error, a full disk, Ctrl-C, kill -9) leaves its journal: the
    records of what it did, which the next run reuses where they still describe the outputs
    (incremental.py) and removes when it commits. A journal is locked while its run writes it, so a
    journal that can be locked is one whose run is over.
    """

    def __init__(self, path: Path):
        self.path = path
        if path.is_dir():
            raise CleanerError(f"--report {path_text(path)} is a folder: give a file name")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._temporary = tempfile.mkstemp(prefix=_journal_prefix(path), suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise CleanerError(f"--report {path_text(path)}: cannot write there: {exc.strerror or exc}") from None
        make_readable(fd)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._written = False

    def write(self, record: dict) -> None:
        self.write_line(ReportRecord(record).line)

    def write_line(self, line: str) -> None:
        """A record already encoded (ReportRecord.line)."""
        self._written = True
        self._handle.write(line + "\n")

    def commit(self) -> None:
        """The report is whole: into place, and the journals of earlier runs are done with."""
        self._handle.close()  # flushes: a full disk is found here, before anything is renamed
        os.replace(self._temporary, self.path)
        for journal in stale_journals(self.path):
            with contextlib.suppress(OSError):
                journal.unlink()

    def abandon(self) -> None:
        """Keep the journal for the next run; never put a partial report in place."""
        with contextlib.suppress(OSError):
            self._handle.close()
        if not self._written:  # nothing to resume from
            with contextlib.suppress(OSError):
                os.unlink(self._temporary)

    def __enter__(self) -> "ReportWriter":
        return self

    def __exit__(self, exc_type, *_) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abandon()


def _journal_prefix(path: Path) -> str:
    return f".{path.name[:100]}."


def stale_journals(path: Path) -> list[Path]:
    """Journals of runs over (unlocked) beside the report `path`, oldest first."""
    prefix = _journal_prefix(path)
    try:
        names = [name for name in os.listdir(path.parent) if name.startswith(prefix) and name.endswith(".tmp")]
    except OSError:
        return []
    found = []
    for name in names:
        journal = path.parent / name
        try:
            fd = os.open(journal, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            found.append((os.fstat(fd).st_mtime_ns, journal))
        except BlockingIOError:
            pass  # a run is writing it
        finally:
            os.close(fd)
    return [journal for _, journal in sorted(found)]


@dataclass
class Summary:
    statuses: Counter = field(default_factory=Counter)
    chars_in: int = 0
    chars_out: int = 0
    removals_by_rule: Counter = field(default_factory=Counter)
    chars_by_rule: Counter = field(default_factory=Counter)
    node_chars_by_rule: Counter = field(default_factory=Counter)  # of those, HTML nodes' (selector rules)
    docs_by_rule: Counter = field(default_factory=Counter)
    texts_by_rule: dict[str, Counter] = field(default_factory=dict)  # what each rule removed, folded
    file_by_rule: dict[str, str] = field(default_factory=dict)
    # The first documents that failed or were guarded, for the summary; the counts are in `statuses`.
    # Capped, so a batch with millions of failures does not hold them all.
    failures: list[tuple[str, str]] = field(default_factory=list)
    guarded: list[tuple[str, str]] = field(default_factory=list)
    up_to_date: int = 0  # records copied from the last run, their documents not cleaned again

    def add(self, record: dict) -> None:
        self.merge(digest_of(record))

    def merge(self, digest: Digest, reused: bool = False) -> None:
        """Count one record by its digest: the same totals as counting its removals one by one."""
        self.up_to_date += reused
        status = digest.status
        self.statuses[status] += 1
        self.chars_in += digest.chars_in
        self.chars_out += digest.chars_out
        for rule, tally in digest.rules.items():
            self.docs_by_rule[rule] += 1
            self.removals_by_rule[rule] += tally.removals
            self.chars_by_rule[rule] += tally.chars
            self.node_chars_by_rule[rule] += tally.node_chars
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
        first = f"{self.documents} documents: {counts or 'none'}"
        if self.up_to_date:
            first += f" ({self.up_to_date} up to date from the last run, not cleaned again; --force cleans them)"
        lines = [first, f"{removed:,} of {self.chars_in:,} characters removed{share}"]
        if self.removals_by_rule:
            lines.append("top rules (removals, documents, characters, most frequent removal with digits as #):")
            starred = False
            for rule, count in self.removals_by_rule.most_common(top):
                text, times = (self.top_texts(rule, 1) or [("", 0)])[0]
                shown = repr(text if len(text) <= 40 else text[:39] + "…")
                star = "*" if self.node_chars_by_rule[rule] else " "
                starred = starred or star == "*"
                lines.append(
                    f"  {rule:<32} {count:>7} {self.docs_by_rule[rule]:>7} {self.chars_by_rule[rule]:>10,}{star} {shown} x{times}"
                )
            if starred:
                lines.append("  * with the text of HTML elements that never reached the extracted text (a selector rule's,"
                             " or what extraction left out), which the characters removed above do not count")
        failed = self.statuses["failed"] + self.statuses["skipped"]
        lines += _listing(f"{failed} failed or skipped:", self.failures, failed)
        lines += _listing(f"{self.statuses['guarded']} guarded (the rules left almost nothing):", self.guarded, self.statuses["guarded"])
        return "\n".join(lines)


def _listing(title: str, listed: list[tuple[str, str]], total: int) -> list[str]:
    if not total:
        return []
    lines = [title] + [f"  {visible(where)}: {visible(why)}" for where, why in listed]
    if total > len(listed):
        lines.append(f"  ... and {total - len(listed)} more (see the report)")
    return lines
