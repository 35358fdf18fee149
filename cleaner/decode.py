"""Bytes to text: gzip, BOMs, UTF-8, mixed UTF-8/Windows-1252, and detection for the rest."""
from __future__ import annotations

import codecs
import gzip
import re
import zlib

from bs4 import UnicodeDammit

from .errors import CleanerError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class DecodeError(CleanerError):
    """The bytes are not text we can clean (binary, truncated archive)."""


def gunzip(data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise DecodeError(f"bad gzip data: {exc}") from None


def decode_bytes(data: bytes, is_html: bool = False) -> str:
    """The text of `data`, without BOM. Raises DecodeError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise DecodeError("binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        # UTF-8 with Windows-1252 pieces pasted in (a common scraper accident): decode each invalid
        # run as cp1252. Only when real UTF-8 is present: otherwise it is a legacy encoding throughout.
        return data.decode("utf-8", errors=_CP1252_FALLBACK)
    dammit = UnicodeDammit(data, is_html=is_html)
    if dammit.declared_html_encoding and dammit.unicode_markup is not None:
        return dammit.unicode_markup
    latin = data.decode("cp1252", errors="replace")
    if _reads_as_latin(latin):
        return latin
    return dammit.unicode_markup if dammit.unicode_markup is not None else latin


def _cp1252_fallback(error: UnicodeDecodeError):
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


_CP1252_FALLBACK = "cleaner-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


def _reads_as_latin(text: str) -> bool:
    """Western words mix a few accented letters with ASCII ones ("Größe"); Cyrillic or Greek read as
    cp1252 gives words made of accented letters only."""
    accented_words = [w for w in _LETTER_RUN.findall(text) if any(ord(c) > 127 for c in w)]
    if not accented_words:
        return True
    all_accented = sum(1 for w in accented_words if all(ord(c) > 127 for c in w))
    return all_accented / len(accented_words) < 0.5


_LETTER_RUN = re.compile(r"[^\W\d_]+")
