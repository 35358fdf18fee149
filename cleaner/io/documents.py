"""Every document of an input file as Items, whatever its format: what `learn`, `explain`, `audit` and
`lint` read, the same documents the batch cleans."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..decode import decode_bytes
from .base import Item, ReadOptions
from .registry import format_of
from .streams import read_document

# An HTML page's start: a BOM and blank space, then a doctype, <html>, <head> or a comment before either.
_LOOKS_LIKE_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
                              re.IGNORECASE | re.DOTALL)


def looks_like_html(data: bytes) -> bool:
    """Whether bytes of unknown format (stdin) start like an HTML page."""
    return _LOOKS_LIKE_HTML.match(data) is not None


def looks_like_jsonl(head: bytes) -> bool:
    """Whether bytes of unknown format (stdin) start like JSONL: a JSON object on the first line (or,
    when the head holds no whole line, the start of one)."""
    first = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not first.startswith(b"{"):
        return False
    line, newline, _ = first.partition(b"\n")
    if not newline:
        return first.startswith(b'{"')
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def documents(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Item]:
    """The file's documents: one for a text or HTML file (id None, the page's HTML when `html`), one per
    record for the others, failed records included. Raises DecodeError, CleanerError or
    OSError for a file that cannot be read at all."""
    fmt = format_of(path)
    if fmt is None:
        raise ValueError(f"{path}: not a supported input type")
    if fmt.records is not None:
        yield from fmt.records(path, options)
        return
    yield Item(1, None, decode_bytes(read_document(path, options.max_bytes), is_html=fmt.html), html=fmt.html)
