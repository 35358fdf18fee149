"""Common Crawl's files, read with FastWARC a record at a time: WET (conversion records, the text a naive
scraper keeps) and WARC (HTTP responses: the HTML page, extracted and then cleaned).

The output is JSONL, a record per document cleaned, with its WARC-Record-ID as `id`, its url and date.
Records that are no documents are passed over, as a folder's other files are: in a WARC file, requests,
metadata, and responses that are not HTML pages served whole (PDFs, images, redirects, errors).
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

from ..decode import DecodeError, decode_bytes
from ..errors import CleanerError
from ..output import AtomicFile
from ..textsafe import has_surrogates
from .base import Item, ReadOptions
from .streams import TooLarge, opened

_HTML_TYPES = {"text/html", "application/xhtml+xml"}


def _archive(stream, record_type: str):
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        raise CleanerError("WET and WARC files need FastWARC: pip install 'cleaner[warc]'") from None
    # Our own stream, so that a truncated or corrupt gzip member is an error (FastWARC's own reader ends
    # such a file quietly), read as every other input is.
    return ArchiveIterator(
        stream, record_types=getattr(WarcRecordType, record_type), parse_http=record_type == "response",
        auto_decode="all", fsspec_args=False,
    )


def wet_records(path: Path, options: ReadOptions) -> Iterator[Item]:
    with opened(path) as stream:
        for number, record in enumerate(_archive(stream, "conversion"), start=1):
            item = _item(number, record)
            try:
                item.text = decode_bytes(_body(record, options.max_bytes, exact=True))
            except DecodeError as exc:
                item.error = f"record {number}: {exc}"
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
                item.text = _page(_body(record, options.max_bytes), record.http_charset)
            except DecodeError as exc:
                item.error = f"record {number}: {exc}"
            yield item


def _is_page(record) -> bool:
    """An HTML page served whole (2xx): a crawl's PDFs, images, redirects and errors are no documents,
    as a folder's other files are not."""
    status = record.http_headers.status_code if record.http_headers is not None else None
    return status is not None and 200 <= status < 300 and record.http_content_type in _HTML_TYPES


def _item(number: int, record) -> Item:
    headers = record.headers
    carry = {"id": record.record_id, "url": headers.get("WARC-Target-URI"), "date": headers.get("WARC-Date")}
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


def _page(data: bytes, charset: str | None) -> str:
    """The page's text: as an .html file is read, except that the server's charset decides when the bytes
    are not UTF-8 (browsers do the same)."""
    if charset and codecs.lookup(charset).name != "utf-8":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode(charset, errors="replace")
    return decode_bytes(data, is_html=True)


class Sink:
    """JSONL: {"id", "url", "date", TEXT_FIELD} per document cleaned, in the file's order."""

    def __init__(self, source: Path, output: Path, temp_dir: Path | None, options: ReadOptions):
        self.field = options.text_field
        self.file = AtomicFile(output, temp_dir)

    def write(self, item: Item, text: str) -> None:
        obj = {**item.carry, self.field: text}
        line = json.dumps(obj, ensure_ascii=False)
        if has_surrogates(line):
            line = json.dumps(obj)
        self.file.write(line.encode("utf-8") + b"\n")

    def write_through(self, item: Item) -> None:
        """A record that could not be cleaned is in the report, not in the output."""

    def commit(self) -> str:
        return self.file.commit()

    def close(self) -> None:
        self.file.close()
