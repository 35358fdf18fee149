"""Markdown tables ("| a | b |", as extractors such as trafilatura write them) are tables of the article."""
from __future__ import annotations

from cleaner.document import Document
from test_heuristics import MENU, OUTSIDE, PARAGRAPHS, TITLE, heuristic, page, run

INGREDIENTS = [
    "| For the pastry: |  |",
    "|---|---|",
    "| 125 g | flour |",
    "| 65 g | sugar |",
    "| 65 g | butter |",
    "| 1 | egg |",
]


def test_a_markdown_table_is_found_with_its_rule_rows():
    doc = Document(page("Ingredients", "\n".join(INGREDIENTS), PARAGRAPHS[0]))
    first = next(line.index for line in doc.lines if line.text == INGREDIENTS[0])
    assert doc.tables(3) == [(first, first + len(INGREDIENTS) - 1)]


def test_too_few_rows_or_a_bar_separated_menu_is_no_markdown_table():
    assert Document(page("\n".join(INGREDIENTS[:3]))).tables(3) == []  # two rows with words: too few
    menu = ["| Home | News | Sport |", "Weather | Contact", "| Imprint | Log in |"]
    assert Document(page("\n".join(menu))).tables(3) == []  # no run of three rows
    numbers = ["| 1 | 2 |", "|---|---|", "| 3 | 4 |", "| 5 | 6 |"]
    assert Document(page("\n".join(numbers))).tables(3) == []  # no words: a widget's grid, not a table


def test_a_markdown_table_above_the_core_stays_with_the_article():
    text = page(*MENU, TITLE, "\n".join(INGREDIENTS), *PARAGRAPHS, *MENU)
    assert INGREDIENTS[2] not in run(text, heuristic(**OUTSIDE)).text  # without table_rows it is furniture
    result = run(text, heuristic(**OUTSIDE, table_rows=3, table_gap=2))
    assert all(row in result.text for row in INGREDIENTS)
    assert "Newsletter" not in result.text
