"""A one-line progress display on stderr (only when stderr is a terminal): documents, MB, rate."""
from __future__ import annotations

import sys
import time


class Progress:
    """The input is streamed, so the total is unknown: the bar counts up and shows the rate."""

    def __init__(self, stream=None, every: float = 0.2):
        self.stream = stream or sys.stderr
        self.every = every
        self.started = time.monotonic()
        self._shown = 0.0

    def update(self, documents: int, chars: int) -> None:
        now = time.monotonic()
        if now - self._shown < self.every:
            return
        self._shown = now
        elapsed = max(now - self.started, 1e-9)
        self.stream.write(
            f"\r{documents:,} documents, {chars / 1e6:,.1f} M chars, "
            f"{documents / elapsed:,.0f} docs/s, {chars / 1e6 / elapsed:,.1f} M chars/s "
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()
