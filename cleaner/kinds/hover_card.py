"""`hover-card`: HTML only. A card that pops up when a reader hovers over a name in the article's text (a
person, a company, a topic): the card's markup sits in the paragraph right after the name's link, so an
extractor prints its text into the sentence ("... threatened to kill Rep. Jane DoeJane DoeBudget vote
delayed | Bridge reopens MORE (D-Minn.), the office said").

Found by structure alone, no class names. An element is such a card when all of these hold:

- it sits inside running text: it has an ancestor among `within` (`p` by default);
- it comes right after a link to a page (the name), with no text between the two, and is no link itself;
- it holds at least `min_links` links to pages, one of them to the same address as the name's link (the
  card's own copy of the name, or its "more" link);
- it opens with a link: no text of its own comes before its first link (an image may);
- its text is at most `max_chars` long.

A sentence with a link followed by more linked words does not pass: those words open with text of their
own, or are no separate element right after the link that links back to the same page. The card goes; the name's link and the text after
the card (its tail) stay.

find() yields nothing (there is nothing to match in text); cleaner/html.py calls select() on the page.
"""
from __future__ import annotations

from .base import PageRule
from .teaser_list import _is_page_link, visible_length


class HoverCardRule(PageRule):
    kind = "hover-card"
    optional = ("within", "min_links", "max_chars")

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.within = self.tag_names("within", ["p"])
        self.min_links = self.integer("min_links", 3, minimum=2)
        self.max_chars = self.integer("max_chars", 600)

    def select(self, tree) -> list:
        """The cards of `tree`, in document order."""
        chosen = []
        for link in tree.iter("a"):  # one walk over the links; most have no element right after them
            card = link.getnext()
            if card is None or (link.tail or "").strip() or not isinstance(card.tag, str) or card.tag == "a":
                continue
            if self._is_card(link, card) and self._in_text(link):
                chosen.append(card)
        return chosen

    def _in_text(self, link) -> bool:
        return any(True for _ in link.iterancestors(*self.within))

    def _is_card(self, link, card) -> bool:
        href = (link.get("href") or "").strip()
        if not _is_page_link(link) or not (link.text_content() or "").strip():
            return False
        links = [a for a in card.iter("a") if _is_page_link(a)]
        if len(links) < self.min_links or not any((a.get("href") or "").strip() == href for a in links):
            return False
        first = next(card.iter("a"))
        if not "".join(card.itertext()).lstrip().startswith(first.text_content().strip()):
            return False  # words before its first link: running text, not a card
        return visible_length(card) <= self.max_chars
