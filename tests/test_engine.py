"""The engine's output contract: whitespace, line endings, BOM, overlaps, determinism."""
from __future__ import annotations

import cleaner
from conftest import FIXTURES


def _rules(tmp_path, body: str):
    (tmp_path / "r.yaml").write_text(body, encoding="utf-8")
    return cleaner.load_rules([tmp_path / "r.yaml"], defaults=False)


def test_removed_line_takes_its_blank_separator_with_it(tmp_path):
    rules = _rules(tmp_path, "id: junk\ndescription: d\nkind: phrase\nphrases: [JUNK]\n")
    assert cleaner.clean("A\n\nJUNK\n\nB\n", rules=rules).text == "A\n\nB\n"
    assert cleaner.clean("A\nJUNK\nB\n", rules=rules).text == "A\nB\n"
    assert cleaner.clean("JUNK\n\n\nA\n\n\n\nB\n\nJUNK\n", rules=rules).text == "A\n\nB\n"


def test_crlf_lone_cr_bom_and_trailing_space_are_normalised(tmp_path):
    rules = _rules(tmp_path, "id: junk\ndescription: d\nkind: phrase\nphrases: [JUNK]\n")
    result = cleaner.clean("\ufeffA  \r\nJUNK\rB\r\n\r\n", rules=rules)
    assert result.text == "A\nB\n"
    assert result.removals[0].text == "JUNK" and result.removals[0].line == 2


def test_everything_removed_gives_empty_text(tmp_path):
    rules = _rules(tmp_path, "id: junk\ndescription: d\nkind: phrase\nphrases: [JUNK]\n")
    assert cleaner.clean("JUNK\n\nJUNK\n", rules=rules).text == ""
    assert cleaner.clean("", rules=rules).text == ""


def test_overlapping_rules_count_each_character_once(tmp_path):
    rules = _rules(
        tmp_path,
        "rules:\n"
        "  - id: nav\n    description: d\n    kind: block\n    start: 'previous article'\n    take_next: 1\n"
        "  - id: label\n    description: d\n    kind: phrase\n    phrases: [Previous Article]\n",
    )
    result = cleaner.clean("Body text here.\n\nPrevious Article\nAnother story headline\n", rules=rules)
    assert [(r.rule, r.text) for r in result.removals] == [("nav", "Previous Article\nAnother story headline")]


def test_same_input_same_output():
    text = (FIXTURES / "seeds" / "raw" / "002_62c6014feff961ea.txt").read_text(encoding="utf-8")
    first, second = cleaner.clean(text), cleaner.clean(text)
    assert first == second
