"""The `teaser-list` kind: a run of `<article>` teasers inside the page's article or main goes before
extraction, and what looks like it but is the article (a body cut into `<article>` sections, a listing
page, teasers among the body's paragraphs) stays. Pages are hand-written, in fixtures/html/ or below."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

import cleaner
from cleaner.errors import RuleError
from cleaner.ruleset import build_rule, load_rules

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
RULE = "teaser-article-run"

ORCHARD = [
    "An orchard of two hundred old apple trees at the edge of Little Hadley",
    "The land came up for sale in the spring, when its owner moved abroad",
    "By the end of the month they had raised enough to match the developer's offer",
    "Volunteers will prune the trees this winter and plan to press the first juice next autumn",
]
BODY = (
    "<p>The bridge over the Wend will close for six weeks from Monday while engineers replace the bearings that "
    "carry its deck, the county council said, and buses will run on a diversion through the upper town.</p>"
    "<p>Traders on the east bank fear that the closure will keep customers away in the weeks before Christmas, and "
    "have asked the council to pay for free parking in the market square while the work goes on.</p>"
    "<p>The council said it would decide on the parking request next week, after talks with the bus company.</p>"
)
EXCERPT = (
    "The school choir sang at the cathedral for the first time, after a year of rehearsals in the village hall "
    "every Thursday evening, and the head teacher says the children will remember it for the rest of their lives."
)
SIDEBAR = "".join(
    f"<section><h2>Box {i}</h2><p>{'The Wend Valley News is written by volunteers from the villages of the valley. ' * 3}</p></section>"
    for i in range(4)
)


def teaser(n: int, excerpt: str = EXCERPT) -> str:
    return f'<article class="post"><a href="/story-{n}/"><img src="/{n}.jpg" alt=""></a><p>{excerpt}</p></article>'


def page(main: str, sidebar: str = SIDEBAR) -> str:
    return (
        "<html><head><title>Bridge to close</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<div id='primary'>{main}</div><aside>{sidebar}</aside><footer><p>Copyright 2026 Wend Valley News.</p></footer>"
        "</body></html>"
    )


def teaser_removals(result) -> list:
    return [r for r in result.removals if r.rule == RULE]


@pytest.fixture(scope="module")
def related():
    return cleaner.clean_html((PAGES / "teaser-run-related.html").read_bytes())


def test_a_related_posts_run_inside_the_article_goes_with_its_heading(related):
    [removal] = teaser_removals(related)
    assert removal.text.startswith("You may also like Cider festival returns")
    assert "Waiting list for allotments grows again" in removal.text
    assert (removal.start, removal.end, removal.line) == (-1, -1, 0)
    assert removal.file == "rules/selectors.yaml"
    tree = lxml_html.fromstring((PAGES / "teaser-run-related.html").read_bytes())
    [node] = tree.getroottree().xpath(removal.node)
    assert node.tag == "section" and " ".join(" ".join(node.itertext()).split()) == removal.text
    for junk in ("cider festival is back", "Two hives placed on the flat roof", "More than sixty people"):
        assert junk not in related.text


def test_the_article_beside_the_run_survives(related):
    for sentence in ORCHARD:
        assert sentence in related.text


def test_teasers_in_a_sibling_article_go_even_when_their_excerpts_outweigh_the_body():
    """The WordPress shape where the related posts are an `<article>` of their own after the post's: the
    excerpts together are longer than the body, but each is shorter than it."""
    html = page(f"<article><h1>Bridge to close</h1>{BODY}</article>"
                f"<article class='related'><h3>Related</h3>{''.join(teaser(n) for n in range(4))}</article>")
    result = cleaner.clean_html(html)
    [removal] = teaser_removals(result)
    assert removal.node.endswith("/article[2]")
    assert "school choir" not in result.text
    assert "replace the bearings" in result.text and "free parking" in result.text


@pytest.mark.parametrize("name", ["teaser-run-split-sections.html", "teaser-run-listing.html"])
def test_pages_whose_articles_are_the_content_keep_them(name):
    raw = (PAGES / name).read_bytes()
    result = cleaner.clean_html(raw)
    assert teaser_removals(result) == []
    tree = lxml_html.fromstring(raw)
    for article in tree.iter("article"):
        if article.find(".//article") is None:
            first = next(p for p in article.iter("p"))
            assert " ".join(first.text_content().split())[:60] in " ".join(result.text.split())


def test_sections_that_open_with_a_heading_and_prose_are_not_teasers():
    """A body cut into `<article>` sections after a long lead: each section links somewhere, but inside
    its prose, not before it."""
    sections = "".join(
        f"<article><h2>Part {n}</h2><p>The works on the bridge, part {n}, are described in the "
        f"<a href='/plan-{n}'>council's plan</a> for the winter.</p></article>" for n in range(4)
    )
    html = page(f"<article><h1>Bridge to close</h1>{BODY}{sections}</article>")
    result = cleaner.clean_html(html)
    assert teaser_removals(result) == []
    assert "part 3, are described" in result.text


def test_two_teasers_are_not_a_run():
    html = page(f"<article><h1>Bridge to close</h1>{BODY}<div>{teaser(1)}{teaser(2)}</div></article>")
    assert teaser_removals(cleaner.clean_html(html)) == []


def test_teasers_between_the_body_paragraphs_are_not_a_run():
    paragraphs = BODY.split("</p>")[:3]
    mixed = "".join(f"{teaser(n)}{p}</p>" for n, p in enumerate(paragraphs))
    html = page(f"<article><h1>Bridge to close</h1>{mixed}{teaser(9)}</article>")
    assert teaser_removals(cleaner.clean_html(html)) == []


def test_an_excerpt_longer_than_the_body_keeps_the_run():
    """The article left must be longer than any one teaser: else the 'teaser' may be the article."""
    long_one = EXCERPT * 3
    html = page(f"<article><h1>Bridge to close</h1>{BODY}<div>{teaser(1, long_one)}{teaser(2)}{teaser(3)}</div></article>")
    assert teaser_removals(cleaner.clean_html(html)) == []


def test_a_run_holding_most_of_the_page_stays():
    html = page(f"<article><h1>Bridge to close</h1>{BODY}<div>{''.join(teaser(n) for n in range(3))}</div></article>",
                sidebar="")
    assert teaser_removals(cleaner.clean_html(html)) == []


def test_a_run_outside_any_article_or_main_stays():
    html = page(f"<article><h1>Bridge to close</h1>{BODY}</article><div>{''.join(teaser(n) for n in range(4))}</div>")
    assert teaser_removals(cleaner.clean_html(html)) == []


def test_when_the_runs_parent_holds_more_than_a_heading_each_teaser_goes_alone():
    intro = "<p>Readers of the Wend Valley News also read these stories from the valley this week, chosen by the editors.</p>"
    html = page(f"<article><h1>Bridge to close</h1>{BODY}<div>{intro}{''.join(teaser(n) for n in range(3))}</div></article>")
    result = cleaner.clean_html(html)
    assert [r.node.rsplit("/", 1)[1] for r in teaser_removals(result)] == ["article[1]", "article[2]", "article[3]"]
    assert "also read these stories" in result.text


def test_wrappers_holding_one_teaser_each_are_seen_through():
    items = "".join(f"<li>{teaser(n)}</li>" for n in range(3))
    html = page(f"<main><article><h1>Bridge to close</h1>{BODY}<ul class='grid'>{items}</ul></article></main>")
    [removal] = teaser_removals(cleaner.clean_html(html))
    assert removal.node.endswith("/ul")


def test_parameters_come_from_the_rule_file(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "id: pairs\ndescription: two teasers are enough here\nkind: teaser-list\nmin_items: 2\n", encoding="utf-8"
    )
    rules = load_rules([tmp_path / "mine.yaml"], defaults=False)
    html = page(f"<article><h1>Bridge to close</h1>{BODY}<div>{teaser(1)}{teaser(2)}</div></article>")
    assert [r.rule for r in cleaner.clean_html(html, rules=rules).removals if r.rule != "extraction"] == ["pairs"]


@pytest.mark.parametrize("key, value", [("min_items", 1), ("max_share", 2), ("items", []), ("colour", "red")])
def test_bad_parameters_are_rule_errors_naming_the_rule(key, value):
    spec = {"id": "bad-run", "description": "x", "kind": "teaser-list", key: value}
    with pytest.raises(RuleError) as caught:
        build_rule(spec, "my-rules.yaml")
    assert "my-rules.yaml" in str(caught.value) and "bad-run" in str(caught.value)


def test_teaser_lists_find_nothing_in_text():
    text = "\n\n".join(["Bridge to close", *ORCHARD, "<article><a href='/x'>Cider festival</a></article>"])
    assert not any(r.rule == RULE for r in cleaner.clean(text).removals)
