"""The one reader and sink layer: which files are inputs, how each format is read into documents (Items),
and how a format of many records writes its output. `clean`, `learn`, `explain`, `audit`, `lint` and stdin
read through it."""
from .base import DEFAULT_MAX_BYTES, Format, Item, ReadOptions, Sink, is_gzipped
from .documents import documents, looks_like_html, looks_like_jsonl
from .registry import FORMATS, SUPPORTED, format_of, input_format, output_name
from .streams import TooLarge, opened, read_document

__all__ = [
    "DEFAULT_MAX_BYTES", "FORMATS", "SUPPORTED", "Format", "Item", "ReadOptions", "Sink", "TooLarge", "documents",
    "format_of", "input_format", "is_gzipped", "looks_like_html", "looks_like_jsonl", "opened", "output_name",
    "read_document",
]
