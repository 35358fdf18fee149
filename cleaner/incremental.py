"""Incremental reruns: an input whose output is newer than it, made with the same rules, is not redone.

What the last run did is read from its report (the new report replaces it only when the run ends, so
it can be read throughout). Only an index is kept in memory, source -> offset of its first record in
the old report; the records themselves are read back from the file when they are reused, so the new
report stays complete: a reused record describes exactly the output that is still on disk.
"""
from __future__ import annotations

import json
from pathlib import Path

_REUSABLE = {"cleaned", "unchanged", "guarded"}


class Incremental:
    def __init__(self, previous_report: Path, rules_hash: str):
        self.rules_hash = rules_hash
        self._index: dict[str, int] = {}
        self._handle = None
        try:
            self._handle = open(previous_report, "rb")
        except OSError:
            return  # no previous run: everything is done
        offset = 0
        for raw in self._handle:
            try:
                source = json.loads(raw)["source"]
            except (ValueError, KeyError, TypeError):
                source = None  # a damaged line is never reused
            if isinstance(source, str):
                self._index.setdefault(source, offset)
            offset += len(raw)

    def records_for(self, task) -> list[dict] | None:
        """The previous records of `task` when its output is current, else None (clean it)."""
        offset = self._index.get(str(task.source))
        if offset is None:
            return None
        try:
            if task.output.stat().st_mtime_ns <= task.source.stat().st_mtime_ns:
                return None
        except OSError:
            return None
        self._handle.seek(offset)
        records = []
        for raw in self._handle:
            try:
                record = json.loads(raw)
            except ValueError:
                return None
            if record.get("source") != str(task.source):
                break
            if (
                record.get("rules_hash") != self.rules_hash
                or record.get("status") not in _REUSABLE
                or record.get("output") != str(task.output)
            ):
                return None
            records.append(record)
        return records or None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
