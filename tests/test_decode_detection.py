"""Legacy encodings without a meta charset: detection runs only when its answer is used, and on a sample
of the page (chardet is pure Python and took seconds on whole pages)."""
from __future__ import annotations

import pytest

from cleaner import decode
from cleaner.decode import decode_bytes

RUSSIAN = "Городской совет проголосовал за строительство новой паромной переправы через реку. "
JAPANESE = "市議会は川を渡る新しいフェリーの建設を承認しました。住民は長年この計画を待っていた。"


@pytest.mark.parametrize("text,encoding", [(RUSSIAN, "koi8-r"), (RUSSIAN, "cp1251"), (JAPANESE, "shift_jis")])
def test_a_long_undeclared_page_is_detected_from_its_start(text, encoding):
    body = text * (150_000 // len(text.encode(encoding)))
    data = f"<html><head><title>x</title></head><body><p>{body}</p></body></html>".encode(encoding)
    assert len(data) > 2 * decode._DETECT_BYTES
    assert decode_bytes(data, is_html=True) == data.decode(encoding)


def test_undeclared_latin_text_is_cp1252_without_detection(monkeypatch):
    def no_detection(*args):
        raise AssertionError("detection ran")

    monkeypatch.setattr(decode, "_detected", no_detection)
    data = "<html><body><p>Die Größe der Straße überrascht, sagt Jürgen Müller.</p></body></html>".encode("cp1252")
    assert "Größe der Straße" in decode_bytes(data, is_html=True)


def test_an_xml_prolog_declaration_is_used():
    data = f'<?xml version="1.0" encoding="koi8-r"?><html><body><p>{RUSSIAN}</p></body></html>'.encode("koi8-r")
    assert RUSSIAN in decode_bytes(data, is_html=True)
