"""Selector rules pick the elements a rule may match before testing them in Python (see candidates() in
cleaner/kinds/selector.py): the pick must never drop a match, so a simple selector selects what the same
selector run as XPath selects, and the first rule in order takes a node matched by two."""
from __future__ import annotations

from lxml.html import document_fromstring

from cleaner.html import apply_selectors
from cleaner.kinds.selector import _outermost, candidates
from cleaner.ruleset import build_rule

PAGE = """<html><body><article>
<p>The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre,
ending a debate that has divided residents for more than two years, and construction starts in autumn.</p>
<div class="box share-buttons"><a>Facebook</a></div>
<div class="xshare-buttons-x"><p>a substring of a class, not the class</p></div>
<div class="top" id="div-gpt-ad-1588"><span class="share-buttons">nested</span></div>
<div id="xdiv-gpt-ad"><p>starts elsewhere</p></div>
<ins class="adsbygoogle"></ins><div class="adsbygoogle">not an ins</div>
<section class="promo  wide" id="cookie-notice"><p>We use cookies</p></section>
<aside class="card" data-role="teaser-box"><p>Read next</p></aside>
<footer class="site-footer"><span class="foo-social">follow</span></footer>
</article></body></html>"""

SELECTORS = [
    ".share-buttons", "#cookie-notice", "ins.adsbygoogle", '[id^="div-gpt-ad"]', '[class*="o-soc"]',
    '[class~="card"][data-role$="-box"]', ".promo.wide", "div.nothing-here",
]


def rule(rule_id: str, selectors: list[str]):
    return build_rule({"id": rule_id, "description": "x", "kind": "selector", "selectors": selectors}, "t.yaml")


def test_each_simple_selector_selects_what_its_xpath_selects():
    tree = document_fromstring(PAGE)
    for css in SELECTORS:
        one = rule("one", [css])
        assert one.simple is not None, css
        by_xpath = _outermost([node for node in one.xpath(tree)])
        assert one.select(tree) == by_xpath, css


def test_candidates_skip_elements_no_rule_looks_for():
    tree = document_fromstring(PAGE)
    rules = [rule("a", SELECTORS[:4]), rule("b", SELECTORS[4:])]
    picked = {c.element.get("class") or c.element.get("id") for c in candidates(tree, rules)}
    assert "site-footer" not in picked and "xshare-buttons-x" not in picked and "xdiv-gpt-ad" not in picked
    assert {"box share-buttons", "top", "share-buttons", "promo  wide", "card", "foo-social"} <= picked
    assert candidates(tree, [rule("c", ["article > div"])]) == []  # a rule run as XPath reads none


def test_the_first_rule_in_order_takes_a_node_both_match():
    tree = document_fromstring(PAGE)
    removals = apply_selectors(tree, [rule("first", ['[id^="div-gpt-ad"]']), rule("second", [".top", ".share-buttons"])])
    taken = {r.text: r.rule for r in removals}
    assert taken["nested"] == "first"  # the div-gpt-ad node goes whole, its nested share bar with it
    assert taken["Facebook"] == "second"
