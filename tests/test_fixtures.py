"""Generalisation: junk documents in other wordings and languages come out exactly clean, and clean
articles that merely mention the junk vocabulary are left untouched."""
from __future__ import annotations

import pytest

import cleaner
from conftest import FIXTURES, fixture_pairs, nonempty_lines, word_counts

FAMILIES = fixture_pairs("families")
UNTOUCHED = sorted((FIXTURES / "untouched").glob("*.txt"))


def test_enough_fixtures():
    assert len(FAMILIES) >= 20
    assert len(UNTOUCHED) >= 10


@pytest.mark.parametrize("raw,expected", FAMILIES, ids=[r.name for r, _ in FAMILIES])
def test_junk_document_is_cleaned_exactly(raw, expected):
    result = cleaner.clean(raw.read_text(encoding="utf-8"))
    assert nonempty_lines(result.text) == nonempty_lines(expected.read_text(encoding="utf-8"))
    removed = sum((word_counts(r.text) for r in result.removals), start=word_counts(""))
    assert word_counts(raw.read_text(encoding="utf-8")) == word_counts(result.text) + removed


@pytest.mark.parametrize("path", UNTOUCHED, ids=[p.name for p in UNTOUCHED])
def test_clean_article_is_untouched(path):
    result = cleaner.clean(path.read_text(encoding="utf-8"))
    assert result.removals == [], [(r.rule, r.text) for r in result.removals]
    assert result.status == "unchanged"
    assert nonempty_lines(result.text) == nonempty_lines(path.read_text(encoding="utf-8"))
