"""An article body split into chunks by ads is joined before extraction, and nothing else is."""
from lxml.html import fromstring

import cleaner
from cleaner.split_body import join_split_body

from conftest import FIXTURES

SPLIT_PAGE = FIXTURES / "html" / "split-body.html"
CHUNK_STARTS = [
    "The island ferry will carry passengers again",
    "Islanders had relied on a smaller chartered boat",
    "Fares will not change this year",
]
PARAGRAPH = "<p>{} " + "The council discussed the matter at length and agreed to return to it next month. " * 3 + "</p>"


def test_every_chunk_of_a_split_body_is_extracted_in_order():
    text = cleaner.clean_html(SPLIT_PAGE.read_bytes()).text
    positions = [text.find(start) for start in CHUNK_STARTS]
    assert -1 not in positions, text
    assert positions == sorted(positions)
    assert "Advertisement" not in text


def test_the_chunks_are_joined_into_the_first():
    tree = fromstring(SPLIT_PAGE.read_bytes())
    assert join_split_body(tree) == 1
    first, *rest = tree.find_class("article__body")
    assert [p.text.split(",")[0] for p in first.iterchildren("p")][::2] == [
        "The island ferry will carry passengers again from the first of April",
        "Islanders had relied on a smaller chartered boat since January",
        "Fares will not change this year",
    ]
    assert all(len(chunk) == 0 for chunk in rest)


def _page(wrapper_extra: str, between: str = "") -> str:
    rows = [
        f'<div class="row">{wrapper_extra.format(n=n)}<div class="body">{PARAGRAPH.format(f"Part {n}.")}</div></div>'
        for n in (1, 2)
    ]
    return f'<html><body><div class="wrap">{rows[0]}{between}{rows[1]}</div></body></html>'


def test_a_list_of_posts_with_their_headlines_is_not_joined():
    tree = fromstring(_page('<h2><a href="/post-{n}">A post about the harbour, number {n}</a></h2>'))
    assert join_split_body(tree) == 0


def test_text_between_the_chunks_stops_the_join():
    between = "<h3>What the islanders said about the repairs to their ferry</h3>"
    tree = fromstring(_page("", between))
    assert join_split_body(tree) == 0


def test_chunks_with_nothing_between_them_are_joined():
    tree = fromstring(_page("", '<div class="ad"><span>Advertisement</span></div>'))
    assert join_split_body(tree) == 1


def test_short_containers_are_not_chunks():
    page = '<html><body><div class="wrap">' + '<div class="row"><div class="body"><p>Short.</p></div></div>' * 3 + "</div></body></html>"
    assert join_split_body(fromstring(page)) == 0


def test_sibling_bodies_in_one_parent_are_not_joined():
    body = '<div class="body">' + PARAGRAPH.format("Part.") + "</div>"
    tree = fromstring(f'<html><body><div class="wrap">{body}{body}</div></body></html>')
    assert join_split_body(tree) == 0
