"""Bytes to text: gzip, BOMs, UTF-8, mixed UTF-8/Windows-1252, and detection for the rest."""
from __future__ import annotations

import codecs
import gzip
import re
import zlib

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
    if _mostly_utf8(data):
        # UTF-8 with Windows-1252 pieces pasted in (a common scraper accident): decode each invalid
        # run as cp1252. Only when most non-ASCII bytes are real UTF-8: otherwise it is a legacy
        # encoding throughout (GB2312 or Shift-JIS byte pairs can look like the odd UTF-8 sequence).
        return data.decode("utf-8", errors=_CP1252_FALLBACK)
    declared = _declared_charset(data) if is_html else None
    if declared == "utf-8":  # a UTF-16 label in a page that is not UTF-16: browsers read UTF-8
        return data.decode("utf-8", errors=_CP1252_FALLBACK)
    if declared:
        return data.decode(declared, errors="replace")
    latin = data.decode("cp1252", errors="replace")
    # A declaration only bs4 reads (a label Python does not know, an XML prolog) makes its choice stand;
    # without one, Latin text is read as cp1252, decided before the slow detection it would not use.
    find_declared = _dammit().EncodingDetector.find_declared_encoding
    declared = find_declared(data, is_html=True) if is_html else None
    if not declared and _reads_as_latin(latin):
        return latin
    if not is_html:
        declared = find_declared(data, is_html=False)  # an XML prolog's
    detected = _detected(data, is_html, declared)
    return detected if detected is not None else latin


def _detected(data: bytes, is_html: bool, declared: str | None) -> str | None:
    """`data` as bs4's UnicodeDammit decodes it: in the first of the declared encoding, chardet's guess,
    UTF-8 and Windows-1252 that decodes it cleanly, else the first that decodes it with replacement
    characters. Except that chardet reads the first 64 KB only: it is pure Python, took 3.5 s on one
    page, and a page's first 64 KB tell its encoding as well as the whole."""
    dammit = _dammit()
    sample = dammit.EncodingDetector(data[:_DETECT_BYTES], is_html=is_html)
    # `declared` was looked for in the page, not the sample, as bs4 does (its find_declared_encoding reads
    # the first 2 KB or 5%); the sample adds the guess, utf-8 and cp1252.
    names = [declared, *sample.encodings]
    names = list(dict.fromkeys(_usable(name, dammit) for name in names if name))
    for errors in ("strict", "replace"):
        for name in names:
            if errors == "replace" and name == "ascii":  # as bs4: no ASCII with replacement characters
                continue
            if name is None:
                continue
            try:
                return data.decode(name, errors)
            except (LookupError, ValueError):  # not a codec Python knows, or bytes it cannot decode
                continue
    return None


_DETECT_BYTES = 64 * 1024


def _usable(label: str, dammit) -> str | None:
    """A label bs4 found, as a codec to try: None for one that names no text encoding."""
    name = label.lower()
    name = dammit.UnicodeDammit.CHARSET_ALIASES.get(name, name)
    codec = text_codec(name)
    if codec is None:
        return None
    return "utf-8" if codec == "utf-8" and _UTF16_LABEL.match(name) else name


def _dammit():
    """bs4's encoding detection, imported on first use: importing bs4 takes about a second, which every
    worker and every CLI run paid for the few inputs that are neither UTF-8 nor declared."""
    from bs4 import dammit

    return dammit


def _mostly_utf8(data: bytes) -> bool:
    high = len(data.translate(None, _ASCII))  # the non-ASCII bytes, counted in C
    in_utf8 = sum(len(match) for match in _UTF8_MULTIBYTE.findall(data))
    return high > 0 and in_utf8 >= 0.5 * high


def _declared_charset(data: bytes) -> str | None:
    """The codec named by the page's <meta charset> (in its first 4 KB), read as browsers read it (see
    text_codec), when it is not UTF-8 read strictly (which was tried already)."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = text_codec(match.group(1).decode("ascii"))
    if name is None:
        return None
    if name == "utf-8":
        return "utf-8" if _UTF16_LABEL.match(match.group(1).decode("ascii")) else None
    return name


def text_codec(label: str) -> str | None:
    """The codec a declared charset label means, as browsers read it (the WHATWG Encoding Standard): a
    UTF-16 or UTF-32 label in the page's own bytes means UTF-8 (the page could not be read otherwise),
    and a label that names no encoding of the Standard (base64, hex, rot13, zlib, idna) is ignored (None)."""
    label = label.strip().lower()
    if _UTF16_LABEL.match(label):
        return "utf-8"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    if codec not in _WEB_CODECS:
        return None
    return _AS_BROWSERS_READ.get(codec, codec)


# The encodings of the Encoding Standard, as Python names them (cp874 for windows-874): a page cannot
# declare Python's other codecs (idna, punycode, unicode_escape, utf-7, base64, ...).
_WEB_CODECS = frozenset({
    "ascii", "big5", "big5hkscs", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "cp866", "cp874", "cp932", "cp949", "euc_jp", "euc_kr", "gb18030", "gb2312", "gbk", "iso2022_jp",
    "iso8859-1", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8",
    "iso8859-9", "iso8859-10", "iso8859-11", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r",
    "koi8-u", "mac-cyrillic", "mac-roman", "shift_jis", "tis-620", "utf-8",
})


_UTF16_LABEL = re.compile(r"(?i)^\s*(?:utf|ucs)[-_]?(?:16|32|2|4)")


# Labels that browsers (the WHATWG Encoding Standard) read as the larger superset encoding.
_AS_BROWSERS_READ = {
    "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030",
    "shift_jis": "cp932", "euc_kr": "cp949", "iso8859-9": "cp1254", "tis-620": "cp874",
}


_ASCII = bytes(range(128))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_line(data: bytes) -> str:
    """One JSONL line's text: UTF-8, else decoded as a document is. Raises DecodeError for binary data."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(data)


def decode_mixed(data: bytes) -> str:
    """UTF-8, with every run of bytes that is not UTF-8 read as Windows-1252."""
    return data.decode("utf-8", errors=_CP1252_FALLBACK)


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
