"""A one-line progress display on stderr (only when stderr is a terminal): documents, MB, rate, and,
when the inputs could be counted first, the total and an estimate of the time left."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from .io import format_of


def count_documents(items: Iterable, budget: float = 1.0) -> int | None:
    """How many records a run over `items` (batch.plan's tasks and records) will report, by walking
    them first; None when that takes over `budget` seconds (a tree of millions of files: the bar then
    counts up without a total) or when a file of many records (JSONL, WET, WARC, Parquet) is among them
    (its records are counted only as they are read)."""
    deadline = time.monotonic() + budget
    count = 0
    for item in items:
        source = getattr(item, "source", None)
        if source is not None and format_of(source).records is not None:
            return None
        count += 1
        if not count % 256 and time.monotonic() > deadline:
            return None
    return count


def _duration(seconds: float) -> str:
    seconds = max(int(round(seconds)), 1)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02} min"


class Progress:
    def __init__(self, stream=None, every: float = 0.2, total: int | None = None):
        self.stream = stream or sys.stderr
        self.every = every
        self.total = total
        self.started = time.monotonic()
        self._shown = 0.0

    def update(self, documents: int, chars: int) -> None:
        now = time.monotonic()
        if now - self._shown < self.every:
            return
        self._shown = now
        elapsed = max(now - self.started, 1e-9)
        done = f"{documents:,} documents"
        left = ""
        if self.total:
            done = f"{documents:,} of {self.total:,} documents ({min(documents / self.total, 1):.0%})"
            if documents:
                left = f", ~{_duration(elapsed / documents * max(self.total - documents, 0))} left"
        self.stream.write(
            f"\r{done}, {chars / 1e6:,.1f} M chars, "
            f"{documents / elapsed:,.0f} docs/s, {chars / 1e6 / elapsed:,.1f} M chars/s{left} \033[K"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()
