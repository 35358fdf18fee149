"""Writing outputs: a temporary file of an unpredictable name, created exclusively, renamed into place.

A reader never sees a partial output, a planted symlink is never followed (exclusive creation fails on
any existing name), and the temporary name does not grow with the output's (a 250-byte file name works).
Each output's digest goes into its report record, so a rerun reuses an output only while it is still
the one the record describes.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
from pathlib import Path

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
TEMP_PREFIX = ".cleaner-"
TEMP_SUFFIX = ".tmp"


def output_digest(data: bytes | None = None):
    """The digest that report records give for an output (`output_digest`)."""
    return hashlib.blake2b(data or b"", digest_size=16)


def digest_of_file(path: Path) -> str | None:
    """The output digest of the file at `path`, None when it cannot be read."""
    digest = output_digest()
    try:
        with open(path, "rb") as handle:
            while piece := handle.read(1 << 20):
                digest.update(piece)
    except OSError:
        return None
    return digest.hexdigest()


class AtomicFile:
    """An output being written: write() bytes, then commit() renames it into place and gives its digest;
    anything else (an error, close() without commit) removes the temporary file.

    `temp_dir` (the run's temporary folder inside --out) holds the temporary file when given, so a run
    killed mid-write leaves nothing among the outputs and the next run clears it in one place; beside
    the output otherwise, or when the two are on different file systems.
    """

    def __init__(self, path: Path, temp_dir: Path | None = None):
        self.path = path
        self.digest = output_digest()
        folder = path.parent
        if temp_dir is None:
            _make_folder(folder)
        self._folder = folder
        self._temp_dir = temp_dir
        self.temporary, self._handle = self._create(temp_dir or folder)

    @staticmethod
    def _create(folder: Path) -> tuple[str, int]:
        for _ in range(100):
            name = os.path.join(folder, f"{TEMP_PREFIX}{secrets.token_hex(6)}{TEMP_SUFFIX}")
            try:
                return name, os.open(name, _CREATE, 0o666)
            except FileExistsError:
                continue
            except FileNotFoundError:  # the folder went away since it was made: make it again
                _make_folder(folder, again=True)
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        view = memoryview(data)
        while view:
            view = view[os.write(self._handle, view):]

    def commit(self) -> str:
        """Rename into place; the output's digest."""
        os.close(self._handle)
        self._handle = -1
        if self._temp_dir is not None:
            _make_folder(self._folder)
        try:
            try:
                os.replace(self.temporary, self.path)
            except FileNotFoundError:  # the output's folder went away since it was made: make it again
                _make_folder(self._folder, again=True)
                os.replace(self.temporary, self.path)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            self._copy_beside()  # --out spans file systems (a mount inside it)
        self.temporary = None
        return self.digest.hexdigest()

    def _copy_beside(self) -> None:
        beside, handle = self._create(self._folder)
        try:
            with open(self.temporary, "rb") as source:
                while piece := source.read(1 << 20):
                    view = memoryview(piece)
                    while view:
                        view = view[os.write(handle, view):]
            os.close(handle)
            handle = -1
            os.replace(beside, self.path)
        except BaseException:
            if handle >= 0:
                os.close(handle)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(beside)
            raise
        os.unlink(self.temporary)

    def close(self) -> None:
        if self._handle >= 0:
            os.close(self._handle)
            self._handle = -1
        if self.temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.temporary)
            self.temporary = None

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


# The output folder this process made last: inputs come folder by folder, so a batch writes runs of files
# into the same folder, and a mkdir per file (a failing system call and a Python exception each time) was
# 4% of a run on 1 KB files. One folder, not a set of them: a crawl may have millions.
_last_folder: Path | None = None


def _make_folder(folder: Path, again: bool = False) -> None:
    global _last_folder
    if again or folder != _last_folder:
        folder.mkdir(parents=True, exist_ok=True)
        _last_folder = folder


def write_atomic(path: Path, text: str, temp_dir: Path | None = None) -> str:
    """Write `text` as UTF-8 to `path` through a temporary file; the output's digest."""
    data = text.encode("utf-8")  # before any file exists: text that cannot be written leaves nothing
    with AtomicFile(path, temp_dir) as output:
        output.write(data)
        return output.commit()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_readable(fd: int) -> None:
    """Give a file made by tempfile.mkstemp (0600) the mode an ordinary new file gets (0666 less umask)."""
    with contextlib.suppress(OSError, AttributeError):
        os.fchmod(fd, 0o666 & ~_UMASK)


_UMASK = _umask()
