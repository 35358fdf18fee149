"""Text that can always be written: paths and strings made safe for JSON lines and for terminals.

A file name may hold bytes that are not UTF-8 (Python keeps them as lone surrogates), a JSON record may
hold an escaped lone surrogate, and a page may hold terminal control sequences. None of these may abort
a report or reach a terminal raw.
"""
from __future__ import annotations

import os
import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab, newline and a CR before a newline; DEL; the C1 controls (ESC's 8-bit forms).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def path_text(path) -> str:
    """A path as report text: its name's bytes that are not UTF-8 shown as \\xNN (as Python prints them)."""
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def json_safe(text: str) -> str:
    """`text` with lone surrogates shown as \\udNNN: UTF-8 cannot encode them."""
    if not has_surrogates(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_surrogates(text: str) -> bool:
    # UTF-8 refuses exactly the surrogates; encoding is some ten times faster than the regex's search.
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def visible(text: str) -> str:
    """`text` for a terminal: control characters (escape sequences among them) shown as \\xNN, never
    sent raw, so a page or a file name cannot retitle the window or move the cursor."""
    text = json_safe(text)
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
