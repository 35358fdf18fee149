"""Incremental reruns: an input whose output is still the one its record describes, made with the same
rules from an input no newer than it, is not cleaned again; its records are copied.

What earlier runs did is read from the last report and from the journals of runs that did not end
(killed, interrupted: report.ReportWriter), the newer one winning. Only an index is kept in memory,
source -> (file, offset of its first record); the records are read back when they are reused, so the new
report stays complete. An output is reused only when its digest is the one its record gives: an output
that a later run (other rules, --disable) or a killed run wrote since is cleaned again.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .output import digest_of_file
from .textsafe import path_text

_REUSABLE = {"cleaned", "unchanged", "guarded"}


class ReusedRecord(dict):
    """A previous run's record, copied because its output is up to date: a dict as any record, marked so
    the summary can say how many documents were not cleaned again."""


class Incremental:
    def __init__(self, previous_report: Path, rules_hash: str, journals: Iterable[Path] = ()):
        self.rules_hash = rules_hash
        self._index: dict[str, tuple[int, int]] = {}
        self._handles = []
        for path in (previous_report, *journals):
            is_journal = path != previous_report
            try:
                handle = open(path, "rb")
            except OSError:
                continue  # no previous run
            number = len(self._handles)
            self._handles.append(handle)
            found: dict[str, int] = {}
            offset = 0
            last = None
            for raw in handle:
                try:
                    source = json.loads(raw)["source"]
                except (ValueError, KeyError, TypeError):
                    source = None  # a damaged line (a killed run's last) is never reused
                if isinstance(source, str):
                    found.setdefault(source, offset)
                    last = source
                offset += len(raw)
            if is_journal and last is not None:
                found.pop(last)  # a killed run may have written only some of its last file's records
            self._index.update((source, (number, at)) for source, at in found.items())

    def records_for(self, task) -> list[dict] | None:
        """The previous records of `task` when its output is current, else None (clean it)."""
        source = path_text(task.source)
        where = self._index.get(source)
        if where is None:
            return None
        try:
            if task.output.stat().st_mtime_ns <= task.source.stat().st_mtime_ns:
                return None
        except OSError:
            return None
        handle = self._handles[where[0]]
        handle.seek(where[1])
        records = []
        output = path_text(task.output)
        for raw in handle:
            try:
                record = json.loads(raw)
            except ValueError:
                return None
            if record.get("source") != source:
                break
            if (
                record.get("rules_hash") != self.rules_hash
                or record.get("status") not in _REUSABLE
                or record.get("output") != output
                or not record.get("output_digest")
            ):
                return None
            records.append(record)
        if not records or digest_of_file(task.output) != records[0]["output_digest"]:
            return None
        return [ReusedRecord(record) for record in records]

    def close(self) -> None:
        for handle in self._handles:
            handle.close()
