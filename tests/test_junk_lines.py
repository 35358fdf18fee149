"""Every line of fixtures/junk-lines/, printed in its place around an article, goes whole; the article
stays (see fixtures/junk-lines/README.md)."""
from __future__ import annotations

import pytest

from conftest import FIXTURES

TITLE = "Town council backs new cycle lanes"
ARTICLE = [
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre, "
    "ending a debate that has divided residents for more than two years.",
    "Supporters argued that the lanes would cut traffic and make the streets safer for children, while shop "
    "owners worried about losing parking spaces in front of their doors.",
    "The first lanes will open in the spring, and the council will review the scheme after a year, the mayor "
    "said after the vote.",
]


def junk_lines(name: str) -> list[str]:
    text = (FIXTURES / "junk-lines" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def test_the_lists_cover_the_families():
    assert len(junk_lines("tail.txt")) >= 200 and len(junk_lines("head.txt")) >= 60


@pytest.mark.parametrize("junk", junk_lines("tail.txt"))
def test_a_line_under_the_article_goes_and_the_article_stays(shipped_rules, junk):
    import cleaner

    result = cleaner.clean("\n\n".join([*ARTICLE, junk]) + "\n", rules=shipped_rules)
    assert result.text == "\n\n".join(ARTICLE) + "\n", [r.rule for r in result.removals]
    assert [removal.text for removal in result.removals] == [junk]


@pytest.mark.parametrize("junk", junk_lines("head.txt"))
def test_a_line_under_the_title_goes_and_the_article_stays(shipped_rules, junk):
    import cleaner

    result = cleaner.clean("\n\n".join([TITLE, junk, *ARTICLE]) + "\n", rules=shipped_rules)
    assert result.text == "\n\n".join([TITLE, *ARTICLE]) + "\n", [r.rule for r in result.removals]
    assert [removal.text for removal in result.removals] == [junk]
