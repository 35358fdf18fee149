"""cleaner._engine, the Rust part of the engine, found where it was built.

`pip install -e .` builds it into this package's folder. After a plain `pip install .` it is in the
installed copy only, and Python started in a checkout (`python -m cleaner` at the repository's root)
imports the checkout's package, which lacks it: then the installed copy's module is loaded, if it
exists, rather than failing the first import.
"""
from __future__ import annotations

import importlib.machinery
import re
import importlib.util
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _installed_copy():
    """The module file of cleaner._engine in another copy of the package on sys.path, or None."""
    for entry in sys.path:
        folder = Path(entry or ".").resolve() / "cleaner"
        if folder == _PACKAGE or not folder.is_dir():
            continue
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            candidate = folder / f"_engine{suffix}"
            if candidate.is_file():
                return candidate
    return None


try:
    from . import _engine as engine
except ImportError as missing:
    found = _installed_copy()
    if found is None:
        raise ImportError(
            f"cleaner's native module is not built in {_PACKAGE}: run `pip install -e .` in the checkout "
            "(it needs cargo), or `pip install .` and run cleaner from outside it"
        ) from missing
    spec = importlib.util.spec_from_file_location("cleaner._engine", found)
    engine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine)
    sys.modules["cleaner._engine"] = engine


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def native_text(text: str) -> str:
    """`text` as the Rust engine can take it: UTF-8 holds no lone surrogate (a JSON escape or a file
    name's undecodable byte, kept by Python), so each becomes U+FFFD, one character for one, and every
    offset stays the same. The caller slices its own text, so the surrogates stay in what it keeps."""
    # textsafe.has_surrogates' question, asked through the engine: the UTF-8 it makes stays cached in
    # `text`, where the Rust call that follows reads it.
    if text.isascii() or engine.utf8_ok(text):
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)
