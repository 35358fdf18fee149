"""Reading input files in bounded memory: a document over the size cap fails, whatever it unpacks to.

A gzip member is decompressed as it is read, never whole: an 18 MB file of zeros holds 4 GB, and a
356 KB one 100 MB of text. JSONL is read a record at a time, each record under the cap on its own.
"""
from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..decode import DecodeError
from .base import is_gzipped

# What a line over the cap is read and copied through in, a piece at a time.
_PIECE = 1024 * 1024


class TooLarge(DecodeError):
    """A document over the size cap (--max-bytes)."""

    def __init__(self, limit: int, what: str = "the document"):
        super().__init__(f"{what} is larger than --max-bytes ({limit:,} bytes): raise --max-bytes to clean it")


@contextmanager
def opened(path: Path):
    """The file's bytes as a stream, decompressed as read when it is gzipped; gzip errors as DecodeError."""
    with open(path, "rb") as raw:
        if not is_gzipped(path):
            yield raw
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unpacked:
            try:
                yield unpacked
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                raise DecodeError(f"bad gzip data: {exc or type(exc).__name__}") from None


def read_document(path: Path, max_bytes: int) -> bytes:
    """The whole document (unpacked), or TooLarge past `max_bytes` (0: no cap)."""
    with opened(path) as stream:
        if not max_bytes:
            return stream.read()
        # read(n) sets n bytes aside before reading: a read of the cap for each 1 KB file cost 24 us
        # against 9. So the first read asks for the file's size and a byte more (a piece for a gzip
        # member, whose size is unknown), and more pieces follow only while the data goes on.
        limit = max_bytes + 1
        want = os.fstat(stream.fileno()).st_size + 1 if isinstance(stream, io.BufferedReader) else _PIECE
        pieces, total = [], 0
        while total < limit and (piece := stream.read(min(want, limit - total))):
            pieces.append(piece)
            total += len(piece)
            want = _PIECE
    if total > max_bytes:
        raise TooLarge(max_bytes)
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def read_lines(stream, max_bytes: int) -> Iterator[tuple[bytes, bool]]:
    """Each line of `stream` with its newline, and whether it is whole: a line over `max_bytes` comes as
    its first part and False, and the caller takes (or skips) the rest with rest_of_line() before the
    next line is read."""
    while True:
        line = stream.readline(max_bytes + 1) if max_bytes else stream.readline()
        if not line:
            return
        yield line, not (max_bytes and len(line) > max_bytes and not line.endswith(b"\n"))


def rest_of_line(stream) -> Iterator[bytes]:
    """The rest of the line being read, up to and with its newline, a bounded piece at a time."""
    while True:
        piece = stream.readline(_PIECE)
        if not piece:
            return
        yield piece
        if piece.endswith(b"\n"):
            return


def skip_rest_of_line(stream) -> None:
    """Read past the rest of the line being read, keeping none of it."""
    for _ in rest_of_line(stream):
        pass
