"""Which files are inputs, how they are read, and what their outputs are called."""
from __future__ import annotations

from pathlib import PurePath

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl"}


def input_format(path: PurePath) -> str | None:
    """'text', 'html' or 'jsonl' for a file we clean (gzipped or not), None for anything else."""
    suffix = _inner_suffix(path)
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return None


def is_gzipped(path: PurePath) -> bool:
    return _suffix(path.name).lower() == ".gz"


def output_name(path: PurePath) -> str:
    """NAME.EXT for text, Markdown and JSONL (.gz dropped); NAME.txt for HTML."""
    name = path.name[:-3] if is_gzipped(path) else path.name
    if input_format(path) == "html":
        return PurePath(name).stem + ".txt"
    return name


def _inner_suffix(path: PurePath) -> str:
    name = path.name[:-3] if is_gzipped(path) else path.name
    return _suffix(name).lower()


def _suffix(name: str) -> str:
    """PurePath(name).suffix, without building a path: a batch asks it several times per file."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""
