"""Common Crawl's files, read with FastWARC a record at a time: WET (conversion records, the text a naive
scraper keeps) and WARC (HTTP responses: the HTML page, extracted and then cleaned).

The output is JSONL, a record per document cleaned, with its WARC-Record-ID as `id`, its url and date,
and the languages Common Crawl identified when the record names them.
Records that are no documents are passed over, as a folder's other files are: in a WARC file, requests,
metadata, and responses that are not HTML pages served whole (PDFs, images, redirects, errors).
"""
from __future__ import annotations

import codecs
import contextlib
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..decode import DecodeError, decode_bytes
from ..errors import CleanerError
from ..output import AtomicFile
from ..textsafe import json_safe
from .base import Item, ReadOptions
from .jsonl import json_line
from .streams import TooLarge, opened

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
NEEDS = "WET and WARC files need FastWARC: pip install 'cleaner[warc]'"


def _archive(stream, record_type: str):
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        raise CleanerError(NEEDS) from None
    # Our own stream, so that a truncated or corrupt gzip member is an error (FastWARC's own reader ends
    # such a file quietly), read as every other input is.
    return ArchiveIterator(
        stream, record_types=getattr(WarcRecordType, record_type), parse_http=record_type == "response",
        # Transfer encodings only: a record whose content encoding FastWARC decoded but which was read only
        # in part (over --max-bytes) left the iterator out of step, and the next record failed the file
        # ("Invalid WARC header"). Content encodings are decoded here, bounded (_decoded).
        auto_decode="transfer", fsspec_args=False,
    )


def wet_records(path: Path, options: ReadOptions) -> Iterator[Item]:
    with opened(path) as stream:
        for number, record in enumerate(_archive(stream, "conversion"), start=1):
            item = _item(number, record)
            try:
                item.text = decode_bytes(_body(record, options.max_bytes, exact=True))
            except DecodeError as exc:
                item.error = f"{item.place}: {exc}"
            yield item


def warc_records(path: Path, options: ReadOptions) -> Iterator[Item]:
    number = 0
    with opened(path) as stream:
        for record in _archive(stream, "response"):
            if not _is_page(record):
                continue
            number += 1
            item = _item(number, record)
            item.html = True
            try:
                item.text = _page(_decoded(record, options.max_bytes), record.http_charset)
            except DecodeError as exc:
                item.error = f"{item.place}: {exc}"
            yield item


def _is_page(record) -> bool:
    """An HTML page served whole (2xx): a crawl's PDFs, images, redirects and errors are no documents,
    as a folder's other files are not."""
    status = record.http_headers.status_code if record.http_headers is not None else None
    return status is not None and 200 <= status < 300 and record.http_content_type in _HTML_TYPES


def _item(number: int, record) -> Item:
    headers = record.headers
    carry = {"id": record.record_id, "url": headers.get("WARC-Target-URI"), "date": headers.get("WARC-Date")}
    language = headers.get("WARC-Identified-Content-Language")  # Common Crawl's WET files have it: eng,fra
    if language:
        carry["language"] = language
    return Item(number, record.record_id, url=carry["url"], carry=carry)


def _body(record, max_bytes: int, exact: bool = False) -> bytes:
    """The record's payload, at most `max_bytes`: TooLarge past it; with `exact` (a payload read as stored,
    not decoded from HTTP), DecodeError when the file ends before its Content-Length."""
    data = record.reader.read(max_bytes + 1) if max_bytes else record.reader.read()
    if max_bytes and len(data) > max_bytes:
        raise TooLarge(max_bytes, "the record")
    if exact and len(data) < record.content_length:
        raise DecodeError(f"the record is cut short ({len(data):,} of {record.content_length:,} bytes)")
    return data


# zlib's window bits: gzip or zlib framing, told apart by the header; raw deflate. Compressed bytes read
# at a time.
_FRAMED, _RAW = 47, -15
_PIECE = 1 << 20


def _decoded(record, max_bytes: int) -> bytes:
    """An HTTP response's payload with its content encoding (gzip, deflate) undone, decompressed a piece at
    a time up to `max_bytes` (TooLarge past it): a small gzip may hold gigabytes."""
    encoding = (record.http_headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in ("identity", ""):
        return _body(record, max_bytes)
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise DecodeError(f"content encoding {json_safe(encoding)!r} is not read: only gzip and deflate are")
    room = max_bytes + 1 if max_bytes else 0  # 0: zlib's "no limit"
    piece = record.reader.read(_PIECE)
    unpack = zlib.decompressobj(_FRAMED)
    try:
        try:
            out = bytearray(unpack.decompress(piece, room))
        except zlib.error:
            if encoding != "deflate":
                raise
            unpack = zlib.decompressobj(_RAW)  # "deflate" as some servers send it: without zlib's framing
            out = bytearray(unpack.decompress(piece, room))
        while not unpack.eof and (not max_bytes or len(out) <= max_bytes) and (piece := record.reader.read(_PIECE)):
            out += unpack.decompress(piece, room - len(out) if max_bytes else 0)
    except zlib.error as exc:
        raise DecodeError(f"bad {encoding} data in the response: {exc}") from None
    if max_bytes and len(out) > max_bytes:
        raise TooLarge(max_bytes, "the record")
    if not out and not unpack.eof:
        raise DecodeError(f"bad {encoding} data in the response: cut short, nothing decoded")
    # Cut short after some text (Common Crawl truncates payloads over 1 MiB): what was decoded is the page.
    return bytes(out)


def _page(data: bytes, charset: str | None) -> str:
    """The page's text: as an .html file is read, except that the server's charset decides when the bytes
    are not UTF-8 (browsers do the same)."""
    try:
        known = codecs.lookup(charset).name if charset else None
    except LookupError:  # a label Python does not know (or a damaged one): the page decides, as for a file
        known = None
    if known and known != "utf-8":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            with contextlib.suppress(LookupError):  # a codec that is no text encoding (base64, rot13)
                return data.decode(known, errors="replace")
    return decode_bytes(data, is_html=True)


class Sink:
    """JSONL: {"id", "url", "date", ["language",] TEXT_FIELD} per document cleaned, in the file's order."""

    def __init__(self, source: Path, output: Path, temp_dir: Path | None, options: ReadOptions):
        self.field = options.text_field
        self.file = AtomicFile(output, temp_dir)

    def write(self, item: Item, text: str) -> None:
        self.file.write(json_line({**item.carry, self.field: text}))

    def write_through(self, item: Item) -> None:
        """A record that could not be cleaned is in the report, not in the output."""

    def commit(self) -> str:
        return self.file.commit()

    def close(self) -> None:
        self.file.close()
