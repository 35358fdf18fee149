"""HTML input: selector rules on the DOM (one test per widget family), extraction, the report's `node`
field, and HTML files through the batch and the CLI. Pages are hand-written, in fixtures/html/."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cleaner
from cleaner.cli import app
from cleaner.errors import RuleError
from cleaner.ruleset import build_rule, load_rules

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
ARTICLE = [
    "Harbour town opens its first tide-powered ferry",
    "The small harbour town of Westmere launched its first tide-powered ferry on Saturday morning",
    "The vessel stores energy from the incoming tide in a set of underwater turbines",
    "Local fishermen, who had feared that the turbines would disturb the mussel beds",
    "The council expects the service to run every half hour in summer",
]

# family rule -> a piece of the widget's text on widgets.html
FAMILIES = {
    "share-bar-node": "Tweet this story",
    "ad-slot-node": "Sponsored: best mortgage rates this week",
    "rating-widget-node": "Click to rate this post!",
    "newsletter-box-node": "Get the Westmere Weekly newsletter",
    "related-posts-node": "Lighthouse keeper retires after forty years",
    "comment-section-node": "Will dogs be allowed on board the ferry?",
    "cookie-banner-node": "We use cookies to give you the best experience",
}


@pytest.fixture(scope="module")
def widgets():
    return cleaner.clean_html((PAGES / "widgets.html").read_bytes())


@pytest.mark.parametrize("rule, junk", sorted(FAMILIES.items()))
def test_each_widget_family_is_removed_and_reported_with_its_node(widgets, rule, junk):
    assert junk not in widgets.text
    [removal] = [r for r in widgets.removals if r.rule == rule]
    assert junk in removal.text
    assert removal.file == "rules/selectors.yaml"
    assert removal.node.startswith("/html/body/")
    assert (removal.start, removal.end, removal.line) == (-1, -1, 0)
    assert removal.to_dict()["node"] == removal.node


def test_the_article_survives_the_selectors(widgets):
    for sentence in ARTICLE[1:]:
        assert sentence in widgets.text
    # The headline is the page's title: it goes as such (page-title-line), never with a DOM node.
    assert [r.text for r in widgets.removals if ARTICLE[0] in r.text] == [ARTICLE[0]]
    assert [r.rule for r in widgets.removals if r.text == ARTICLE[0]] == ["page-title-line"]
    assert widgets.status == "cleaned"


def test_node_paths_are_paths_in_the_page_as_it_was(widgets):
    from lxml import html as lxml_html

    tree = lxml_html.fromstring((PAGES / "widgets.html").read_bytes())
    for removal in [r for r in widgets.removals if r.node]:  # (not the title line: a text removal)
        [node] = tree.getroottree().xpath(removal.node)
        assert " ".join(" ".join(node.itertext()).split()) == removal.text


def test_a_wrapper_named_like_a_widget_keeps_the_article():
    result = cleaner.clean_html((PAGES / "widget-named-wrapper.html").read_text(encoding="utf-8"))
    assert [r for r in result.removals if r.node] == []
    for sentence in ARTICLE[1:]:  # (the headline goes as the page's title, see above)
        assert sentence in result.text


def test_text_removals_carry_no_node_in_the_report():
    result = cleaner.clean("Title\n\nShare this:\n\nSome text of the article, long enough to be prose here.\n")
    assert all("node" not in r.to_dict() for r in result.removals)


def test_selector_rules_find_nothing_in_text():
    rules = load_rules()
    text = "\n".join(['<div class="share-buttons">Share</div>', "div#comments .related-posts", *ARTICLE])
    result = cleaner.clean(text, rules=rules)
    assert not any(r.rule.endswith("-node") for r in result.removals)


def test_a_bad_css_selector_is_a_rule_error_naming_the_rule():
    spec = {"id": "bad-css", "description": "x", "kind": "selector", "selectors": ["div[[class"]}
    with pytest.raises(RuleError) as caught:
        build_rule(spec, "my-rules.yaml")
    assert "my-rules.yaml" in str(caught.value) and "bad-css" in str(caught.value)


def test_complex_selectors_work_through_xpath(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "id: lead-box\ndescription: Boxes after the lead\nkind: selector\nselectors: ['article > p + aside, div > span:first-child']\n",
        encoding="utf-8",
    )
    rules = load_rules([tmp_path / "mine.yaml"], defaults=False)
    page = (PAGES / "widgets.html").read_text(encoding="utf-8").replace(
        "<p>The vessel", "<aside>Editor's pick: the ten best beaches</aside><p>The vessel"
    )
    result = cleaner.clean_html(page, rules=rules)
    assert [r.text for r in result.removals if r.rule == "lead-box"][0].startswith("Editor's pick")


def test_site_scoped_selectors_apply_only_to_their_site(tmp_path):
    (tmp_path / "site.yaml").write_text(
        "id: westmere-box\ndescription: x\nkind: selector\nsites: [westmere.example]\nselectors: ['h1']\n",
        encoding="utf-8",
    )
    rules = load_rules([tmp_path / "site.yaml"], defaults=False)
    page = (PAGES / "widget-named-wrapper.html").read_bytes()
    assert cleaner.clean_html(page, rules=rules, site="news.example").removals == []
    assert [r.rule for r in cleaner.clean_html(page, rules=rules, site="westmere.example").removals] == ["westmere-box"]


def test_empty_and_non_html_input():
    assert cleaner.clean_html(b"").text == ""
    assert cleaner.clean_html("   ").status == "unchanged"


def test_html_files_through_the_cli(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("widgets.html", "gzipped.html.gz", "latin1.html"):
        (src / name).write_bytes((PAGES / name).read_bytes())
    (src / "broken.htm").write_bytes(b"\x00\x01\x02 not a page")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["clean", str(src), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output  # broken.htm fails, the batch goes on
    assert "Local fishermen" in (out / "widgets.txt").read_text(encoding="utf-8")
    assert "Tweet this story" not in (out / "gzipped.txt").read_text(encoding="utf-8")
    assert "Fähre" in (out / "latin1.txt").read_text(encoding="utf-8")
    records = {Path(r["source"]).name: r for r in map(json.loads, (out / "report.jsonl").read_text().splitlines())}
    assert records["broken.htm"]["status"] == "failed"
    nodes = [r for r in records["widgets.html"]["removals"] if "node" in r]
    assert {r["rule"] for r in nodes} == set(FAMILIES)
    assert all(r["start"] == -1 and r["end"] == -1 for r in nodes)


def test_html_on_stdin(tmp_path):
    result = CliRunner().invoke(
        app, ["clean", "-", "--format", "html"], input=(PAGES / "cp1252.html").read_bytes()
    )
    assert result.exit_code == 0, result.output
    assert "\u201cIt\u2019s a first for the coast,\u201d" in result.stdout


def test_cleaning_text_does_not_import_the_html_stack():
    # trafilatura and bs4 take seconds to import: a text batch, and each of its workers, must not pay it.
    code = (
        "import sys, cleaner; cleaner.clean('Share this\\n\\nThe council met on Monday to discuss the plan.\\n'); "
        "print(sorted(m for m in ('trafilatura', 'bs4') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
