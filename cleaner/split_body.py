"""Join an article body that the page splits into chunks, so extraction takes all of it.

Some sites cut the article into several containers with the same class, one per stretch of text, with a
full-width ad or an embed between them (`div.article__body` × 3 under one wrapper). trafilatura takes the
first container that looks like the body and leaves the rest of the article out. Moving the later chunks'
children into the first one gives it the whole article; the ads between them stay where they were.

Structure only, no class names: chunks are elements with the same tag and class, each holding real
paragraphs, in sibling wrappers of one parent, with nothing to read between them. A list of posts or of
comments has headlines, names or dates beside each body, so it never qualifies, and text that would be
moved out of order (a subheading between two chunks) stops the join.
"""
from __future__ import annotations

from collections import defaultdict

from lxml.etree import XPath
from lxml.html import HtmlElement

# A chunk holds at least this many characters of its own paragraphs (<p> children).
MIN_CHUNK_PROSE = 200
# What may sit between two chunks: an "Advertisement" label, not a paragraph.
MAX_TEXT_BETWEEN = 30
# Only a container with paragraphs of its own can be a chunk: found in C, so Python sees a few elements.
_CONTAINERS = XPath("//div[@class][p] | //section[@class][p]")


def join_split_body(tree: HtmlElement) -> int:
    """Join every split body of `tree` in place; how many were joined."""
    groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
    for element in _CONTAINERS(tree):
        groups[(element.tag, element.get("class"))].append(element)
    joined = 0
    for members in groups.values():
        chunks = [element for element in members if _prose(element) >= MIN_CHUNK_PROSE]
        if len(chunks) >= 2 and _is_split_body(chunks):
            first = chunks[0]
            for chunk in chunks[1:]:
                first.extend(list(chunk))  # extend() moves the children, tails and all
            joined += 1
    return joined


def _is_split_body(chunks: list[HtmlElement]) -> bool:
    parents = [chunk.getparent() for chunk in chunks]
    if any(parent is None for parent in parents) or len(set(parents)) < len(parents):
        return False  # siblings in one parent: a list, not chunks of one body
    if len({(parent.tag, parent.get("class")) for parent in parents}) > 1:
        return False
    wrapper = parents[0].getparent()
    if wrapper is None or any(parent.getparent() is not wrapper for parent in parents):
        return False
    between = text_length(wrapper) - sum(map(text_length, chunks))
    return between <= MAX_TEXT_BETWEEN * (len(chunks) - 1)


def _prose(element: HtmlElement) -> int:
    return sum(len(paragraph.text_content().strip()) for paragraph in element.iterchildren("p"))


def text_length(element: HtmlElement) -> int:
    """The characters of an element's text, its pieces stripped (also what selector rules measure)."""
    return sum(map(len, map(str.strip, element.itertext())))  # map(): no Python frame per text piece
