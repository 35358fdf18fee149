"""Parquet, read and written with pyarrow a batch of rows at a time: the text column cleaned, every other
column, the schema and the row order kept, so a shard of any size is cleaned in bounded memory.

A row whose text is not a string (null) keeps its value and is reported as failed.
"""
from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..decode import DecodeError
from ..errors import CleanerError
from ..output import AtomicFile
from ..textsafe import json_safe
from .base import Item, ReadOptions
from .streams import TooLarge

# Rows per batch read and written, at most, and the text a batch should hold at most: a row group of long
# texts is read in batches of fewer rows, so that a batch stays a few MB whatever the texts' length.
BATCH_ROWS = 1024
NEEDS = "Parquet files need pyarrow: pip install 'cleaner[parquet]'"
BATCH_BYTES = 32 * 1024 * 1024


# Bytes read at a time from a column chunk: without a buffer, pyarrow reads a row group's whole column
# at once, and one shard may be a single row group of gigabytes.
READ_BUFFER = 1 << 20


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise CleanerError(NEEDS) from None
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        # mimalloc, pyarrow's default, kept freed pages: a shard of row groups read one after the other
        # held twice jemalloc's resident memory (bench/formats.py).
        with contextlib.suppress(NotImplementedError):
            pyarrow.set_memory_pool(pyarrow.jemalloc_memory_pool())
    return pyarrow


@dataclass
class Row:
    batch: object  # the pyarrow RecordBatch the row is in
    index: int
    value: object  # the text column's value as read


def records(path: Path, options: ReadOptions) -> Iterator[Item]:
    pa = _pyarrow()
    shard = _open(pa, path)
    names = shard.schema_arrow.names
    if options.text_field not in names:
        raise DecodeError(f"no column {options.text_field!r} (columns: {', '.join(names)}): name the text column with --text-field")
    number = 0
    for batch in _batches(shard, options.text_field):
        texts = batch.column(options.text_field).to_pylist()
        ids = batch.column(options.id_field).to_pylist() if options.id_field in names else None
        urls = batch.column("url").to_pylist() if "url" in names else None
        for index, value in enumerate(texts):
            number += 1
            record_id = ids[index] if ids is not None and isinstance(ids[index], (str, int)) else number
            item = Item(number, json_safe(record_id) if isinstance(record_id, str) else record_id,
                        carry=Row(batch, index, value), unit="row")
            url = urls[index] if urls is not None else None
            item.url = url if isinstance(url, str) else None
            if not isinstance(value, str):
                item.error = f"{item.place}: no string in column {options.text_field!r}"
            elif options.max_bytes and len(value) > options.max_bytes:  # characters: at least as many bytes
                item.error = f"{item.place}: {TooLarge(options.max_bytes, 'the record')}"
            else:
                item.text = value
            yield item


def _batches(shard, column: str):
    """The shard's rows in batches, row group by row group, each of at most BATCH_ROWS rows and (by the
    row group's own statistics) about BATCH_BYTES of text."""
    meta = shard.metadata
    leaf = next((i for i in range(meta.num_columns) if meta.schema.column(i).path == column), None)
    for group in range(meta.num_row_groups):
        rows = meta.row_group(group).num_rows
        text_bytes = meta.row_group(group).column(leaf).total_uncompressed_size if leaf is not None else 0
        per_batch = max(1, min(BATCH_ROWS, BATCH_BYTES * rows // text_bytes)) if text_bytes else BATCH_ROWS
        yield from shard.iter_batches(batch_size=per_batch, row_groups=[group], use_threads=False)


def _open(pa, path: Path):
    try:
        return pa.parquet.ParquetFile(path, buffer_size=READ_BUFFER, pre_buffer=False)
    except pa.ArrowInvalid as exc:
        raise DecodeError(f"not a Parquet file we can read: {exc}") from None


class _Written(io.RawIOBase):
    """An AtomicFile as the file-like object pyarrow writes to."""

    def __init__(self, file: AtomicFile):
        self.file, self.position = file, 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.file.write(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position


class Sink:
    """The same schema (and its metadata) and compression as the input; a row group per batch read."""

    def __init__(self, source: Path, output: Path, temp_dir: Path | None, options: ReadOptions):
        pa = self.pa = _pyarrow()
        shard = _open(pa, source)
        meta = shard.metadata
        compression = meta.row_group(0).column(0).compression.lower() if meta.num_row_groups and meta.num_columns else "snappy"
        self.schema = shard.schema_arrow
        self.column = self.schema.get_field_index(options.text_field)
        self.file = AtomicFile(output, temp_dir)
        self.writer = pa.parquet.ParquetWriter(
            _Written(self.file), self.schema, compression="none" if compression == "uncompressed" else compression
        )
        self.texts: list = []

    def write(self, item: Item, text: str) -> None:
        self._add(item.carry, text)

    def write_through(self, item: Item) -> None:
        self._add(item.carry, item.carry.value)

    def _add(self, row: Row, value) -> None:
        self.texts.append(value)
        batch = row.batch
        if row.index == batch.num_rows - 1:
            field = self.schema.field(self.column)
            cleaned = batch.set_column(self.column, field, self.pa.array(self.texts, type=field.type))
            self.writer.write_batch(cleaned)
            self.texts = []

    def commit(self) -> str:
        self.writer.close()
        return self.file.commit()

    def close(self) -> None:
        self.file.close()
