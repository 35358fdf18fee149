"""Which files are inputs, which format reads each, and what their outputs are called.

Adding a format is one module (its reader and sink) and one entry in FORMATS.
"""
from __future__ import annotations

from pathlib import PurePath

from . import jsonl, parquet, warc
from .base import Format, is_gzipped

FORMATS = (
    Format("text", (".txt", ".text", ".md", ".markdown")),
    Format("html", (".html", ".htm", ".xhtml"), html=True, output_suffix=".txt", output_stem=True),
    Format("jsonl", (".jsonl",), records=jsonl.records, sink=jsonl.Sink),
    # Common Crawl's names: NAME.warc.wet.gz (text) and NAME.warc.gz (pages); the output is JSONL, and
    # keeps the input's name so that a WET file and its WARC file in one folder do not write the same one.
    Format("wet", (".warc.wet", ".wet"), records=warc.wet_records, sink=warc.Sink, output_suffix=".jsonl",
           library="fastwarc", needs=warc.NEEDS),
    Format("warc", (".warc",), html=True, records=warc.warc_records, sink=warc.Sink, output_suffix=".jsonl",
           library="fastwarc", needs=warc.NEEDS),
    Format("parquet", (".parquet",), gzip=False, records=parquet.records, sink=parquet.Sink,
           library="pyarrow", needs=parquet.NEEDS),
)
# Longest first, so that .warc.wet is tried before .wet and .warc.
_ENDINGS = sorted(((suffix, fmt) for fmt in FORMATS for suffix in fmt.suffixes), key=lambda pair: -len(pair[0]))
SUPPORTED = "text, Markdown, HTML, JSONL (each gzipped or not), WET, WARC, Parquet"


def format_of(path: PurePath) -> Format | None:
    """The format that reads the file, by its name; None for a file we do not clean."""
    name = path.name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    for suffix, fmt in _ENDINGS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return fmt if fmt.gzip or not gzipped else None
    return None


def input_format(path: PurePath) -> str | None:
    """The name of the format that reads the file ('text', 'html', 'jsonl', 'wet', 'warc', 'parquet')."""
    fmt = format_of(path)
    return fmt.name if fmt else None


def output_name(path: PurePath) -> str:
    """The output's name: NAME.EXT for text, Markdown, JSONL and Parquet (.gz dropped), NAME.txt for
    HTML, NAME.warc.wet.jsonl and NAME.warc.jsonl for Common Crawl's files."""
    name = path.name[:-3] if is_gzipped(path) else path.name
    fmt = format_of(path)
    if fmt is None or fmt.output_suffix is None:
        return name
    if fmt.output_stem:
        return PurePath(name).stem + fmt.output_suffix
    return name + fmt.output_suffix
