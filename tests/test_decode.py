"""Decoding real pages: BOMs, meta charsets, legacy encodings without a declaration, mixed UTF-8 and
Windows-1252, gzip. The pages are small hand-written ones in fixtures/html/."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.decode import DecodeError, decode_bytes, gunzip

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "html"


def page(name: str) -> str:
    data = (PAGES / name).read_bytes()
    if name.endswith(".gz"):
        data = gunzip(data)
    return decode_bytes(data, is_html=True)


@pytest.mark.parametrize("name", ["latin1.html", "no-charset-latin1.html"])
def test_latin1_with_and_without_a_declaration(name):
    text = page(name)
    assert "Stadtrat beschließt neue Fähre über den Fluss" in text
    assert "größeres, leiseres Boot" in text
    assert "\ufffd" not in text


def test_windows_1252_punctuation_and_euro():
    text = page("cp1252.html")
    assert "\u201cIt\u2019s a first for the coast,\u201d said the mayor \u2013 the ticket costs \u20ac2." in text


def test_mixed_utf8_and_windows_1252_are_both_repaired():
    text = page("mixed-utf8-cp1252.html")
    assert "\u201cWe waited ten years for this,\u201d said Zo\u00eb, who runs the caf\u00e9 by the quay." in text
    assert "Westmere \u2014 population 4\u202f000 \u2014 launched" in text  # the UTF-8 part untouched
    assert "\ufffd" not in text


@pytest.mark.parametrize("name", ["bom-utf8.html", "bom-utf16.html"])
def test_bom_is_used_and_dropped(name):
    text = page(name)
    assert not text.startswith("\ufeff")
    assert text.lstrip().startswith("<!DOCTYPE html>")
    assert "Harbour town opens its first tide-powered ferry" in text


def test_bom_utf8_keeps_accents():
    assert "(caf\u00e9 d\u00e9j\u00e0 open)" in page("bom-utf8.html")


def test_gzip():
    text = page("gzipped.html.gz")
    assert "Harbour town opens its first tide-powered ferry" in text


def test_declared_legacy_multibyte_charset_wins_over_stray_utf8_lookalikes():
    # GB2312 byte pairs can look like UTF-8 sequences; the meta charset must decide.
    text = page("gb2312.html")
    assert "一个约定，信守十五年，感人至深" in text
    assert "“兄弟，放心吧！" in text


def test_bad_gzip_and_binary_data_are_decode_errors():
    with pytest.raises(DecodeError):
        gunzip(b"\x1f\x8b\x08\x00not really gzip")
    with pytest.raises(DecodeError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", is_html=True)


def test_undecodable_bytes_are_replaced_without_a_log_line_per_document(caplog):
    # A scraped folder holds thousands of such files: one warning each would bury the summary.
    text = decode_bytes(b"Hello \xff\xfe\x81 world caf\xe9 na\xc3\xafve \x9d\x8f \x81\x8d\x8f\x90\x9d\n")
    assert text.startswith("Hello ") and "world" in text
    assert caplog.records == []
