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


def test_invisible_characters_are_no_text_to_the_rules_nor_in_the_output(tmp_path):
    """A line of only invisible characters (a zero-width space, an invisible separator, a BOM) separates
    paragraphs like a blank one and leaves none behind; a soft hyphen does not hide a label from a rule;
    a step ending in an invisible separator still ends in its full stop."""
    rules = _rules(tmp_path, "id: junk\ndescription: d\nkind: phrase\nphrases: [Share on Facebook]\n")
    assert cleaner.clean("A\n\u200b\nShare on Facebook\nB\n\u2063\ufeff\n", rules=rules).text == "A\n\nB\n"
    # With nothing removed, nothing is rewritten: the invisible lines stay as they came.
    assert cleaner.clean("A\n\u200b\nB\n", rules=rules).text == "A\n\u200b\nB\n"
    result = cleaner.clean("A\nShare on Face\u00adbook\nB\n", rules=rules)
    assert result.text == "A\nB\n" and result.removals[0].text == "Share on Face\u00adbook"
    doc = cleaner.document.Document("Stir the noodles with the garlic until they are fragrant.\u2063\n\u200b\n")
    assert doc.lines[0].ends_sentence and doc.lines[0].is_prose
    assert doc.lines[1].is_blank


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


def test_two_inputs_with_one_output_name_never_overwrite_each_other(tmp_path):
    """a.html and a.txt both become a.txt: the second is skipped, naming the first, and exit is 1."""
    import json
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Text version.\n", encoding="utf-8")
    (folder / "a.html").write_text("<html><body><p>HTML version.</p></body></html>", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Another folder's a.txt.\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(folder), str(other), "--out", str(out), "-j", "1"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    records = [json.loads(line) for line in (out / "report.jsonl").open()]
    skipped = [r for r in records if r["status"] == "skipped"]
    assert sorted(r["source"] for r in skipped) == sorted([str(folder / "a.txt"), str(other / "a.txt")])
    assert all("same output as" in r["error"] for r in skipped)
    assert (out / "a.txt").read_text(encoding="utf-8") == "HTML version.\n"


def test_summary_names_guarded_documents_and_caps_long_lists():
    from cleaner.report import LISTED_DOCUMENTS, Summary

    summary = Summary()
    for n in range(LISTED_DOCUMENTS + 5):
        summary.add({"source": f"f{n}.txt", "status": "failed", "error": "broken", "chars_in": 0, "chars_out": 0})
    summary.add({"source": "cookie.txt", "status": "guarded", "guard": "3 of 40 words left", "chars_in": 9, "chars_out": 1})
    text = summary.render()
    assert len(summary.failures) == LISTED_DOCUMENTS
    assert f"{LISTED_DOCUMENTS + 5} failed or skipped:" in text and "... and 5 more (see the report)" in text
    assert "1 guarded (the rules left almost nothing):\n  cookie.txt: 3 of 40 words left" in text
    assert not summary.ok


def test_a_lone_surrogate_is_cleaned_around_and_kept(tmp_path):
    """Python keeps a JSON escape or a file name's undecodable byte as a lone surrogate, which UTF-8
    (and so the native engine and RE2) cannot hold: clean() raised UnicodeEncodeError on such a text.
    The rules now see U+FFFD in its place, and the output and removals hold the surrogate again."""
    rules = _rules(tmp_path, "id: junk\ndescription: d\nkind: phrase\nphrases: [JUNK]\n")
    result = cleaner.clean("Caf\udce9 one\r\nJUNK \udce9\nJUNK\n\n\ud800 two\n", rules=rules)
    assert result.text == "Caf\udce9 one\nJUNK \udce9\n\n\ud800 two\n"
    assert [r.text for r in result.removals] == ["JUNK"]
    lines = cleaner.clean("JUNK\nx\udce9y\n", rules=_rules(tmp_path, "id: junk\ndescription: d\nkind: line\n"
                                                              "patterns: ['(?i)junk|x.y']\n"))
    assert lines.text == "" and [r.text for r in lines.removals] == ["JUNK", "x\udce9y"]
    assert cleaner.clean("\udce9 left alone\n", rules=rules).text == "\udce9 left alone\n"


def _render_documents(text: str, cuts: list[tuple[int, int]]):
    """The document of `text` less `cuts`, as the next pass makes it (from the input's lines) and as the
    text alone makes it."""
    from cleaner.native import engine as native

    doc = cleaner.document.Document(text)
    rendered = native.render(doc.native, cuts)
    return rendered.document(doc.native), native.NativeDocument(rendered.text), rendered.text


def test_a_pass_output_keeps_its_input_lines_features_as_its_own_text_would_give_them():
    """The second pass reads the lines kept whole from the first pass's Document; their features
    (plain text, key, words, paragraph, prose) are those the output's text gives them alone, whatever
    the line ends in: white space of any kind, invisible characters, Markdown marks, a BOM."""
    import random

    pieces = ["Word", "two words", "Ein längerer Satz mit genug Wörtern, damit er als Prosa gilt, bis zum Ende.",
              "**Bold label**", "* item", "# Heading", "[a link](http://x.y)", "中文的句子没有空格。", "",
              " ", "\t", "\u00a0", "\u3000", "\u200b", "\u00ad", "\ufeff", "\u2063", "  ", "__x__", "a  b"]
    generator = random.Random(22)
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.rglob("*.txt"))[:40]]
    for _ in range(300):
        lines = ["".join(generator.choice(pieces) for _ in range(generator.randint(0, 4)))
                 for _ in range(generator.randint(1, 12))]
        texts.append(generator.choice(["\n", "\r\n", "\r"]).join(lines) + generator.choice(["", "\n", "  \n"]))
    for text in texts:
        length = len(text)
        bounds = sorted(generator.randint(0, length) for _ in range(2 * generator.randint(0, 3)))
        cuts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2) if bounds[i] < bounds[i + 1]]
        carried, fresh, _ = _render_documents(text, cuts)
        assert carried.lines() == fresh.lines(), (text, cuts)
        assert carried.plains() == fresh.plains()


def test_a_pass_output_line_from_a_cut_line_is_computed_not_carried():
    carried, fresh, output = _render_documents("Share this story now\nKeep\n", [(0, 6)])
    assert output == "this story now\nKeep\n"
    assert carried.plains() == fresh.plains() == ["this story now", "Keep"]
