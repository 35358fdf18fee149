"""What every format's reader yields and every sink takes: one document of an input, as an Item."""
from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


@dataclass
class Item:
    """One document read from an input file: its text, or why it is not cleaned.

    `text` is the page's HTML when `html` is set (a WARC response), else the text the rules clean.
    `error` says why a record is not cleaned (it is reported failed); the sink still sees it, to write it
    through where its format keeps every record. `carry` is what the format's sink
    needs to write this record's output (a JSON object, a Parquet row's place, WARC headers).
    """

    number: int  # 1-based place in the file
    id: int | str | None  # what the report calls the record (None: the file is the document)
    text: str | None = None
    html: bool = False
    url: str | None = None
    error: str | None = None
    carry: Any = None
    unit: str = "record"  # what the format calls a record in messages: line (JSONL), row (Parquet)

    @property
    def place(self) -> str:
        """Where the record is, for its messages: "line 3", "row 12", "record 5"."""
        return f"{self.unit} {self.number}"


DEFAULT_MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    max_bytes: int = DEFAULT_MAX_BYTES  # per document or record, unpacked; 0: no cap


class Sink(Protocol):
    """A record format's output being written, in input order; commit() puts it in place and gives its
    digest, close() without commit() leaves nothing."""

    def write(self, item: Item, text: str) -> None: ...

    def write_through(self, item: Item) -> None: ...

    def commit(self) -> str: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Format:
    """A kind of input file: the names it has, and for a format of many records, how to read them and
    write its output. A file of a format without `records` is one document (text, Markdown, HTML)."""

    name: str
    suffixes: tuple[str, ...]  # how a name ends, lower case, before an optional .gz
    html: bool = False  # its documents are HTML pages
    gzip: bool = True  # may be gzipped (NAME.SUFFIX.gz)
    records: Callable[[Path, ReadOptions], Iterator[Item]] | None = None
    sink: Callable[[Path, Path, Path | None, ReadOptions], Sink] | None = None  # source, output, temp dir
    output_suffix: str | None = None  # added to the name (less .gz); None: the name is kept
    output_stem: bool = False  # the output is STEM + output_suffix (page.html -> page.txt)
    library: str | None = None  # the module of the library it needs (from a pip extra)...
    needs: str | None = None  # ...and what to say when it is not installed

    def missing(self) -> str | None:
        """What to install when this format's library is not installed; None when it is (or needs none)."""
        if self.library is None or importlib.util.find_spec(self.library) is not None:
            return None
        return self.needs


def is_gzipped(path) -> bool:
    return path.name.lower().endswith(".gz")
