"""`page-title`: HTML only. The page's own title when extraction puts it as the first line of the text.

trafilatura keeps the headline when the page prints it inside the article container. The headline is the
page's metadata, not a sentence of the article: it is what the page's `<title>`, its `og:title` and its
`h1` already say, and extraction benchmarks leave it out of the article body. The rule reads those
titles from the page (`sources`; a `<title>` also without a site name after one of `separators`), and
cleaner/html.py removes the extracted text's first line when it is one of them, word for word
(whitespace and case folded), no longer than `max_words`, and no other rule already took it. Only the
first line: a line equal to the title further down is the text rules' business (`duplicate`).

find() yields nothing (the titles are not in the text); cleaner/html.py calls titles() and matches().
"""
from __future__ import annotations

from ..errors import shown

from .base import PageRule

SOURCES = ("h1", "og:title", "title")


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class PageTitleRule(PageRule):
    kind = "page-title"
    optional = ("sources", "separators", "max_words")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.sources = self.strings("sources", list(SOURCES))
        unknown = [source for source in self.sources if source not in SOURCES]
        if unknown:
            raise self.error(f"'sources' must name some of {', '.join(SOURCES)}, got {shown(unknown)}")
        # A separator is matched with a space on each side: "Title | Site", "Title - Site".
        self.separators = [sep.strip() for sep in self.strings("separators", ["|", "-", "–", "—", "·", "::"])]
        self.max_words = self.integer("max_words", 25, minimum=1)

    def titles(self, tree) -> frozenset:
        """The page's titles, folded. Read before extraction, which changes the tree."""
        found = set()
        if "h1" in self.sources:
            found.update(fold(h1.text_content()) for h1 in tree.iter("h1"))
        if "og:title" in self.sources:
            found.update(fold(meta.get("content") or "") for meta in tree.iter("meta")
                         if meta.get("property") == "og:title")
        if "title" in self.sources:
            for title in tree.iter("title"):
                full = fold(title.text_content())
                found.add(full)
                for sep in self.separators:  # the title without the site's name after it
                    found.add(full.split(f" {sep} ")[0])
        found.discard("")
        return frozenset(found)

    def matches(self, line: str, titles: frozenset) -> bool:
        folded = fold(line)
        return bool(folded) and len(folded.split()) <= self.max_words and folded in titles
