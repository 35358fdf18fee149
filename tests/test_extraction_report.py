"""Issue 24: what trafilatura leaves out of a page is in the report, as removals of the pseudo-rule
`extraction` with the element's path in the page as downloaded, so nothing disappears unaccounted."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

import cleaner
from cleaner.cli import app
from cleaner.extraction import RULE

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = " ".join(
    f"Paragraph {n} tells how the harbour town built its tide-power station over three winters of work."
    for n in range(1, 4)
)
PAGE = f"""<html><head><title>Tide power</title><style>p {{ color: red }}</style></head><body>
<header><nav><ul><li><a href="/">Homepage</a></li><li><a href="/news">Newsroom</a></li></ul></nav></header>
<main><article><h1>Tide power comes to the harbour</h1>
<p>{ARTICLE}</p><p>The station opened on Monday, and the mayor thanked the <a href="/v">volunteers</a> who helped.</p>
<p>Engineers expect it to cover a third of the town's needs in its first year of running.</p>
</article>
<aside><h2>Weekly letter</h2><p>Sign up for our weekly letter about the coast.</p></aside></main>
<footer><p>Copyright 2026 Coast Gazette.</p></footer></body></html>"""

WORD = re.compile(r"\w+")


def _page_words(html: str) -> Counter:
    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//head|//script|//style"):
        bad.drop_tree()
    return Counter(WORD.findall(" ".join(tree.itertext())))


def _no_rules(tmp_path):
    empty = tmp_path / "none.yaml"
    empty.write_text("rules: []\n", encoding="utf-8")
    return cleaner.load_rules([empty], defaults=False)


@pytest.mark.parametrize("name", [None, "split-body.html", "teaser-run-related.html", "widgets.html"])
def test_every_word_of_a_page_is_in_the_output_or_a_removal(name):
    html = PAGE if name is None else (ROOT / "fixtures" / "html" / name).read_text(encoding="utf-8")
    from cleaner.html import clean_html_with_text

    result, extracted = clean_html_with_text(html)
    accounted = Counter(WORD.findall(extracted))
    for removal in result.removals:
        if removal.start < 0:  # selector and extraction removals: text that never reached `extracted`
            accounted.update(WORD.findall(removal.text))
    missing = _page_words(html) - accounted
    assert not missing, missing


def test_extraction_names_what_it_left_out_by_element(tmp_path):
    result = cleaner.clean_html(PAGE, rules=_no_rules(tmp_path))
    dropped = {r.node: r.text for r in result.removals if r.rule == RULE}
    assert dropped["/html/body/header"] == "Homepage Newsroom"
    assert dropped["/html/body/footer"] == "Copyright 2026 Coast Gazette."
    assert "Sign up for our weekly letter about the coast." in " ".join(dropped.values())
    assert not any("Paragraph 1" in text or "Engineers" in text for text in dropped.values())
    tree = lxml.html.fromstring(PAGE).getroottree()
    for path, text in dropped.items():
        (element,) = tree.xpath(path)  # the path is the element's in the page as downloaded
        assert " ".join(" ".join(element.itertext()).split()) == text
    # Only the rules decide a document's status: extraction's drops alone leave it unchanged.
    assert result.status == "unchanged" and "Engineers expect" in result.text


def test_the_report_and_the_summary_carry_extraction(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(app, ["clean", str(folder), "--out", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "report.jsonl").read_text(encoding="utf-8"))
    extraction = [r for r in record["removals"] if r["rule"] == RULE]
    assert extraction and all(r["start"] == r["end"] == -1 and r["node"].startswith("/html/body") for r in extraction)
    line = next(line for line in result.output.splitlines() if line.lstrip().startswith(RULE + " "))
    assert line.split()[3].endswith("*")
