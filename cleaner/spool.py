"""A JSONL file's report records in bounded memory: kept in memory up to a bound, on disk past it.

A JSONL file is one task but may hold millions of records; its records are known whole only when the
file is done (each carries the output's digest), so past SPOOL_AFTER they wait in a spool file in the
run's temporary folder, and the parent reads them back from there into the report.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .report import TEXT_KEY, ReportRecord

SPOOL_AFTER = 1000


class SpooledRecords:
    """Records waiting in a spool file; `extra` is added to each as it is read back. Pickles as its
    path, so a worker hands the parent a name, not the records."""

    def __init__(self, path: str, extra: dict):
        self.path, self.extra = path, extra

    def records(self) -> Iterator[ReportRecord]:
        """Each record, once; the spool file is removed when they have been read (or reading stops)."""
        try:
            with open(self.path, encoding="utf-8") as spool:
                for line in spool:
                    record = json.loads(line)
                    record.update(self.extra)
                    yield ReportRecord(record)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


class RecordSpool:
    def __init__(self, folder: Path | None, keep: int | None = None):
        self.folder = folder
        self.keep = SPOOL_AFTER if keep is None else keep
        self.held: list[dict] = []
        self._path: str | None = None
        self._file = None

    def append(self, record: dict) -> None:
        self.held.append(record)
        if len(self.held) >= self.keep:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            fd, self._path = tempfile.mkstemp(prefix=".spool-", suffix=".jsonl", dir=self.folder)
            self._file = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        for record in self.held:
            record.pop(TEXT_KEY, None)  # an audit reads spooled records' texts from the source
            self._file.write(ReportRecord(record).line + "\n")
        self.held = []

    def finish(self, extra: dict) -> list:
        """The records: a SpooledRecords for what went to disk, then those held, each with `extra`."""
        for record in self.held:
            record.update(extra)
        if self._file is None:
            return self.held
        self._file.close()
        self._file = None
        return [SpooledRecords(self._path, extra), *self.held]

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._path)
