"""JSONL: one JSON object per line, the text in a field; the output is the same records, in the same order,
with that field cleaned and every other field kept.

Lines are split on \\n only: a JSON string may hold U+2028 or U+0085, which str.splitlines() would split
on. A line that cannot be cleaned (not JSON, no text field, over the size cap) is written through as it
is, and reported as failed.
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from ..decode import DecodeError, decode_line, decode_mixed
from ..output import AtomicFile
from ..textsafe import has_surrogates, json_safe
from .base import Item, ReadOptions
from .streams import TooLarge, opened, read_lines, rest_of_line


@dataclass
class Line:
    """A JSONL line as read: its bytes (without the newline), its object when it is one, and for a line
    over the size cap, the rest of it still to be read (a bounded piece at a time)."""

    body: bytes
    obj: dict | None = None
    rest: Iterator[bytes] | None = None


def records(path: Path, options: ReadOptions) -> Iterator[Item]:
    with opened(path) as stream:
        head = stream.peek(8192)[:8192]
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DecodeError("UTF-16 or UTF-32 JSONL: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)")
        if b"\x00" in head:
            raise DecodeError("binary data (NUL bytes), not text")
        for number, (raw, whole) in enumerate(read_lines(stream, options.max_bytes), start=1):
            if not whole:
                rest = rest_of_line(stream)
                yield Item(number, number, error=str(TooLarge(options.max_bytes, "the record")), carry=Line(raw, rest=rest),
                           unit="line")
                for _ in rest:  # what the sink did not take is read past
                    pass
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            body = raw.removesuffix(b"\n").removesuffix(b"\r")
            if body.strip():
                yield _item(number, body, options)


def _item(number: int, body: bytes, options: ReadOptions) -> Item:
    try:
        obj = json.loads(decode_line(body))
        if not isinstance(obj, dict):
            raise ValueError("not a JSON object")
        value = obj.get(options.text_field)
        if not isinstance(value, str):
            raise ValueError(f"no string field {options.text_field!r}")
        if has_surrogates(value):
            raise ValueError(f"field {options.text_field!r} holds a lone surrogate escape (\\ud800-\\udfff), not text")
    except (ValueError, DecodeError) as exc:
        return Item(number, number, error=f"line {number}: {json_safe(str(exc)) or type(exc).__name__}", carry=Line(body),
                    unit="line")
    record_id = obj.get(options.id_field, number)
    if isinstance(record_id, str):
        record_id = json_safe(record_id)
    url = obj.get("url")
    return Item(number, record_id, value, url=url if isinstance(url, str) else None, carry=Line(body, obj), unit="line")


class Sink:
    def __init__(self, source: Path, output: Path, temp_dir: Path | None, options: ReadOptions):
        self.field = options.text_field
        self.file = AtomicFile(output, temp_dir)

    def write(self, item: Item, text: str) -> None:
        obj = item.carry.obj
        obj[self.field] = text
        self.file.write(json_line(obj))

    def write_through(self, item: Item) -> None:
        line: Line = item.carry
        if line.rest is None:
            self.file.write(as_utf8(line.body) + b"\n")
            return
        # A line over the cap, passed through a bounded piece at a time, in UTF-8.
        to_utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        for piece in chain([line.body], line.rest):
            self.file.write(to_utf8.decode(piece).encode("utf-8"))
        self.file.write(to_utf8.decode(b"", final=True).encode("utf-8"))

    def commit(self) -> str:
        return self.file.commit()

    def close(self) -> None:
        self.file.close()


def json_line(obj: dict) -> bytes:
    """A JSONL output line in UTF-8, other scripts as they are; a lone surrogate (from an escape in the
    input) stays escaped, since UTF-8 cannot hold it."""
    line = json.dumps(obj, ensure_ascii=False)
    if has_surrogates(line):
        line = json.dumps(obj)
    return line.encode("utf-8") + b"\n"


def as_utf8(line: bytes) -> bytes:
    """A line written through as it is when it is UTF-8; else as decoded, so every output is UTF-8."""
    try:
        line.decode("utf-8")
        return line
    except UnicodeDecodeError:
        return decode_mixed(line).encode("utf-8")
