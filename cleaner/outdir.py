"""The --out folder of a run: checked before any work, held by one run at a time, with one place for
temporary files.

`OUT/.cleaner/` holds the lock (a file locked with flock while the run lasts, so a run killed with
kill -9 leaves no stale lock) and `tmp/`, where outputs are written before they are renamed into place.
A run clears what a killed run left in `tmp/`, and removes `.cleaner/` when it ends.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from .errors import CleanerError
from .textsafe import path_text

try:
    import fcntl
except ImportError:  # not POSIX: no lock, the rest holds
    fcntl = None

STATE = ".cleaner"


class OutputFolderError(CleanerError):
    """The output folder cannot be used: not a folder, not writable, or in use by another run."""


def overlaps(out: Path, inputs: list[Path]) -> Path | None:
    """The first input whose tree overlaps the tree of `out` (the same, or one inside the other)."""
    mine = out.resolve()
    for path in inputs:
        theirs = path.resolve()
        if mine == theirs or mine.is_relative_to(theirs) or theirs.is_relative_to(mine):
            return path
    return None


class OutputFolder:
    def __init__(self, path: Path):
        self.path = path
        self.state = path / STATE
        self.temp_dir = self.state / "tmp"
        self._lock_fd = -1

    def open(self) -> "OutputFolder":
        shown = path_text(self.path)
        if self.path.exists() and not self.path.is_dir():
            raise OutputFolderError(f"--out {shown} is a file, not a folder")
        try:
            self.state.mkdir(parents=True, exist_ok=True)
            self._lock()
            shutil.rmtree(self.temp_dir, ignore_errors=True)  # what a killed run left
            self.temp_dir.mkdir()
        except OSError as exc:
            self.close()
            raise OutputFolderError(f"--out {shown}: cannot write there: {exc.strerror or exc}") from None
        return self

    def _lock(self) -> None:
        if fcntl is None:
            return
        lock = self.state / "lock"
        while True:
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC, 0o644)
            except FileNotFoundError:  # a run that ended removed .cleaner/ after we made it
                self.state.mkdir(parents=True, exist_ok=True)
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise OutputFolderError(
                    f"--out {path_text(self.path)} is in use by another cleaner run (pid {holder}): "
                    "wait for it to end, or choose another --out"
                ) from None
            # A run that ended removed the lock file after we opened it: lock the file now there.
            try:
                same = os.stat(lock).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._lock_fd = fd

    def close(self) -> None:
        """Remove the temporary folder and the lock (the lock file first, while still held)."""
        if self._lock_fd < 0:
            return
        shutil.rmtree(self.temp_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.unlink(self.state / "lock")
        with contextlib.suppress(OSError):
            self.state.rmdir()
        os.close(self._lock_fd)
        self._lock_fd = -1

    def __enter__(self) -> "OutputFolder":
        return self.open()

    def __exit__(self, *exc_info) -> None:
        self.close()
