"""Every line of fixtures/tail-junk/lines.txt, printed under an article, goes whole; the article stays."""
from __future__ import annotations

import pytest

from conftest import FIXTURES

ARTICLE = [
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre, "
    "ending a debate that has divided residents for more than two years.",
    "Supporters argued that the lanes would cut traffic and make the streets safer for children, while shop "
    "owners worried about losing parking spaces in front of their doors.",
    "The first lanes will open in the spring, and the council will review the scheme after a year, the mayor "
    "said after the vote.",
]
LINES = [line for line in (FIXTURES / "tail-junk" / "lines.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_list_covers_the_pack_languages():
    assert len(LINES) >= 200


@pytest.mark.parametrize("junk", LINES)
def test_tail_junk_line_goes_and_the_article_stays(shipped_rules, junk):
    import cleaner

    result = cleaner.clean("\n\n".join([*ARTICLE, junk]) + "\n", rules=shipped_rules)
    assert result.text.split("\n\n") == [*ARTICLE[:-1], ARTICLE[-1] + "\n"], [r.rule for r in result.removals]
    assert [removal.text for removal in result.removals] == [junk]
