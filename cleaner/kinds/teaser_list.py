"""`teaser-list`: HTML only. A run of sibling teaser elements (`<article>` by default) nested inside the
page's article or main container, removed before extraction.

Themes render "related posts" / "you may also like" as a row of `<article>` teasers, each a link, a title
and often a full excerpt, inside the main `<article>` or `<main>`. trafilatura keeps them, and a `selector`
rule cannot take them: it never removes `article` elements or what holds the article container. This kind
finds such a run by its structure alone, no class names, and takes it only when all of these hold:

- at least `min_items` teasers in a row: siblings (a wrapper whose only child is a teaser counts as the
  teaser) with no more than a label's worth of text (`max_text_between`) between two of them;
- the run sits inside one of the `within` containers (its parent may be one);
- every teaser opens with a link to another page: an `a[href]` comes before any paragraph and after at
  most `max_text_before_link` characters (a kicker or a date). An article body cut into `<article>`
  sections opens with headings and prose, not links;
- no teaser holds an `h1`, a `main` or `itemprop="articleBody"` (the page's own title or body);
- the run holds at most `max_share` of the page's text;
- the paragraphs left inside the `within` containers outside it hold at least `min_body_chars`, and more
  than its longest teaser: an article remains, and it is longer than any one excerpt. A listing page
  (teasers and nothing else) or a body split into sections never passes this.

When the run's parent holds nothing else but a heading (`max_heading_chars` of other text; never `main`,
`body`, a node with an `h1` or the article body), the parent goes with the run, heading and all;
otherwise each teaser goes on its own. A comment thread rendered as `<article>`s may pass too: comments
are never the article.

find() yields nothing (there is nothing to match in text); cleaner/html.py calls select() on the page.
"""
from __future__ import annotations

from lxml.etree import XPath, iterwalk

from .base import PageRule

# Text a reader sees: not scripts, styles or templates.
_VISIBLE_TEXT = XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]")
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
# Never taken as a run's container, whatever it holds.
_NEVER = frozenset({"main", "body", "html"})


def visible_length(element) -> int:
    if not isinstance(element.tag, str) or element.tag in _INVISIBLE:
        return 0
    return sum(len(text.strip()) for text in _VISIBLE_TEXT(element))


def _tail(element) -> int:
    return len((element.tail or "").strip())


def _is_page_link(element) -> bool:
    href = (element.get("href") or "").strip().lower()
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:"))


class TeaserListRule(PageRule):
    kind = "teaser-list"
    optional = ("items", "within", "min_items", "max_share", "max_text_between", "max_text_before_link",
                "min_body_chars", "max_heading_chars")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.items = self.tag_names("items", ["article"])
        self.within = self.tag_names("within", ["article", "main"])
        self.min_items = self.integer("min_items", 3, minimum=2)
        self.max_share = self.number("max_share", 0.4)
        self.max_text_between = self.integer("max_text_between", 30)
        self.max_text_before_link = self.integer("max_text_before_link", 60)
        self.min_body_chars = self.integer("min_body_chars", 200)
        self.max_heading_chars = self.integer("max_heading_chars", 80)

    def select(self, tree, page_chars) -> list:
        """The nodes of `tree` to remove, in document order. `page_chars()` gives the page's text length
        (called only when a run is found: most pages have none)."""
        chosen = []
        for parent, run in self._runs(tree):
            if not self._inside_within(parent) or not all(map(self._teaser_shaped, run)):
                continue
            lengths = [visible_length(item) for item in run]
            if sum(lengths) > self.max_share * page_chars():
                continue
            nodes = [parent] if self._takes_parent(parent, run) else run
            if self._body_left(tree, nodes) < max(self.min_body_chars, max(lengths) + 1):
                continue
            chosen.extend(nodes)
        return chosen

    def _runs(self, tree):
        """(parent, [teaser, ...]) for every run of at least min_items sibling teasers."""
        by_parent: dict = {}
        for element in tree.iter(*self.items):
            item = self._outer(element)
            parent = item.getparent()
            if parent is not None and item not in by_parent.get(parent, ()):
                by_parent.setdefault(parent, []).append(item)
        for parent, items in by_parent.items():
            if len(items) < self.min_items:
                continue
            members = set(items)
            run: list = []
            gap = 0
            for child in parent:
                if child in members:
                    if run and gap > self.max_text_between:
                        yield from self._long_enough(parent, run)
                        run = []
                    run.append(child)
                    gap = _tail(child)
                elif run:
                    gap += visible_length(child) + _tail(child)
            yield from self._long_enough(parent, run)

    def _long_enough(self, parent, run):
        if len(run) >= self.min_items:
            yield parent, run

    def _outer(self, element):
        """The teaser with the wrappers that hold it alone (`li > article`, `div.col > article`)."""
        while True:
            parent = element.getparent()
            if (parent is None or parent.tag in self.within or parent.tag in _NEVER or len(parent) != 1
                    or (parent.text or "").strip() or _tail(element)):
                return element
            element = parent

    def _inside_within(self, parent) -> bool:
        return parent.tag in self.within or any(True for _ in parent.iterancestors(*self.within))

    def _teaser_shaped(self, item) -> bool:
        if item.get("itemprop") == "articleBody" or any(True for _ in item.iter("h1", "main")):
            return False
        if any(el.get("itemprop") == "articleBody" for el in item.iterdescendants()):
            return False
        # Walk the item in reading order: a page link must come before any paragraph, after little text.
        before = 0
        walk = iterwalk(item, events=("start", "end"))
        for event, element in walk:
            if not isinstance(element.tag, str) or element.tag in _INVISIBLE:
                if event == "start":
                    walk.skip_subtree()
                elif element is not item:
                    before += _tail(element)
                continue
            if event == "start":
                if element.tag == "p":
                    return False
                if element.tag == "a" and _is_page_link(element):
                    return before <= self.max_text_before_link
                before += len((element.text or "").strip())
            elif element is not item:
                before += _tail(element)
            if before > self.max_text_before_link:
                return False
        return False

    def _takes_parent(self, parent, run) -> bool:
        if parent.tag in _NEVER or parent.get("itemprop") == "articleBody":
            return False
        if any(True for _ in parent.iter("h1")):
            return False
        return visible_length(parent) - sum(map(visible_length, run)) <= self.max_heading_chars

    def _body_left(self, tree, removed: list) -> int:
        """Characters of the paragraphs inside the `within` containers that stay when `removed` goes."""
        gone = set(removed)
        total = 0
        for paragraph in tree.iter("p"):
            ancestors = list(paragraph.iterancestors())
            if gone.isdisjoint(ancestors) and any(a.tag in self.within for a in ancestors):
                total += visible_length(paragraph)
        return total
