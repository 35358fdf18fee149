"""HTML input: decode, parse, remove the DOM junk of `selector` rules, join a split article body, extract
the article text with trafilatura, then clean it like any text.

Selector removals are reported with the rule id, the node's text and its DOM path (`node`); they have no
offsets (start = end = -1, line 0) because the node never reaches the extracted text. So are the
elements extraction left out, as removals of the pseudo-rule `extraction` (see extraction.py). Every
other removal's offsets refer to the extracted text, which is also what `chars_in` counts.
"""
from __future__ import annotations

from dataclasses import replace

from lxml.html import HtmlElement

from .decode import decode_bytes
from .extraction import PageBlocks
from .engine import clean
from .guardrail import Guardrail
from .kinds.hover_card import HoverCardRule
from .kinds.page_title import PageTitleRule
from .kinds.selector import SelectorRule, candidates
from .kinds.teaser_list import TeaserListRule
from .model import Removal, Result
from .ruleset import RuleSet, default_rules
from .split_body import join_split_body, text_length

# Chosen by measurement on the dev half of the benchmarks (see the HTML section of the bench report):
# tables hold article content often enough to keep; comments are never the article.
EXTRACT_OPTIONS = dict(include_comments=False, include_tables=True)

# A selector never removes a node that holds the article container itself.
_ARTICLE_CONTAINERS = frozenset({"article", "main", "body", "html"})


def import_extractor() -> None:
    """Import trafilatura now (a second or more), so that a worker does not spend it inside its first
    page's time limit."""
    import trafilatura  # noqa: F401


def parse(html: str) -> HtmlElement | None:
    """The page's DOM as trafilatura parses it (None when the text is not HTML at all)."""
    # trafilatura is imported on first use (here and in extract_text): it takes about a second to
    # import, which a run on text files, and every process it starts, need not pay.
    from trafilatura.utils import load_html

    return load_html(html)


def apply_selectors(tree: HtmlElement, rules: list) -> list[Removal]:
    """Remove from `tree` every node a selector, teaser-list or hover-card rule matches: one Removal per node, in
    document order, with the node's path in the page as it was (all nodes are chosen before any is
    removed). A node inside another chosen node goes with it and is not reported twice."""
    selectors = [rule for rule in rules if isinstance(rule, SelectorRule)]
    teaser_lists = [rule for rule in rules if isinstance(rule, TeaserListRule)]
    cards = [rule for rule in rules if isinstance(rule, HoverCardRule)]
    if not selectors and not teaser_lists and not cards:
        return []
    root = tree.getroottree()
    page = candidates(tree, selectors)  # (a rule run as XPath does not read them)
    matched = [(node, rule) for rule in selectors for node in rule.select(tree, page)]
    chars: list[int] = []

    def page_chars() -> int:  # only when needed: most pages have no match, and it walks all text
        if not chars:
            chars.append(max(text_length(tree), 1))
        return chars[0]

    chosen: dict = {}  # node -> the rule that takes it (the first rule, in pack order)
    for node, rule in matched:
        if node not in chosen and _removable(node, page_chars(), rule.max_share):
            chosen[node] = rule
    for rule in teaser_lists:  # a teaser-list rule makes its own checks (see kinds/teaser_list.py)
        for node in rule.select(tree, page_chars):
            chosen.setdefault(node, rule)
    for rule in cards:  # so does a hover-card rule (see kinds/hover_card.py)
        for node in rule.select(tree):
            chosen.setdefault(node, rule)
    if not chosen:
        return []
    outer = [node for node in chosen if not any(parent in chosen for parent in node.iterancestors())]
    if len(outer) > 1:
        # Candidates are in document order; a node matched by a complex selector needs a full walk.
        order = {c.element: i for i, c in enumerate(page)}
        if any(node not in order for node in outer):
            order = {el: i for i, el in enumerate(tree.iter())}
        outer.sort(key=order.__getitem__)
    removals = []
    for node in outer:
        rule = chosen[node]
        removals.append(
            Removal(
                rule=rule.meta.id,
                file=rule.meta.file,
                start=-1,
                end=-1,
                line=0,
                text=" ".join(" ".join(node.itertext()).split()),
                reason=rule.meta.reason,
                node=root.getpath(node),
            )
        )
    for node in outer:
        node.drop_tree()  # keeps the node's tail text, which belongs to its parent
    return removals


def _removable(node: HtmlElement, page_chars: int, max_share: float) -> bool:
    if node.tag in _ARTICLE_CONTAINERS or node.get("itemprop") == "articleBody":
        return False
    if any(True for _ in node.iterdescendants("article", "main")):
        return False
    return text_length(node) <= max_share * page_chars


def extract_text(html: str | HtmlElement) -> str:
    """The main text of a page as trafilatura extracts it ('' when it finds none). A parsed page has
    its split article body joined first (in place, see split_body.py)."""
    from trafilatura import extract

    if isinstance(html, HtmlElement):
        join_split_body(html)
    text = extract(html, **EXTRACT_OPTIONS) or ""
    # A text file's final newline, which trafilatura leaves off: an extraction with nothing to remove is
    # written as it is, and should end like any other output.
    return text + "\n" if text and not text.endswith("\n") else text


def page_text(html: str, rules: RuleSet | None = None, site: str | None = None) -> str:
    """The text the text rules see for a page, to which report offsets refer: extracted after the
    `selector` rules of `rules` took their nodes out (as clean_html does)."""
    tree = parse(html) if html.strip() else None
    if tree is None:
        return ""
    if rules is not None:
        apply_selectors(tree, rules.for_site(site))
    return extract_text(tree)


def clean_html(
    html: bytes | str, rules: RuleSet | None = None, site: str | None = None, *, guardrail: Guardrail | None = None
) -> Result:
    """Extract and clean one page: selector rules on the DOM, trafilatura, then the text rules."""
    return clean_html_with_text(html, rules, site, guardrail=guardrail)[0]


def clean_html_with_text(
    html: bytes | str, rules: RuleSet | None = None, site: str | None = None, *, guardrail: Guardrail | None = None
) -> tuple[Result, str]:
    """clean_html(), and the extracted text that the removals' offsets refer to (page_text())."""
    rules = rules if rules is not None else default_rules()
    if isinstance(html, bytes):
        html = decode_bytes(html, is_html=True)
    tree = parse(html) if html.strip() else None
    if tree is None:
        return clean("", rules=rules, site=site, guardrail=guardrail), ""
    active = rules.for_site(site)
    title_rules = [(rule, rule.titles(tree)) for rule in active if isinstance(rule, PageTitleRule)]
    blocks = PageBlocks(tree)
    dom_removals = apply_selectors(tree, active)
    blocks.forget_removed()
    text = extract_text(tree)
    # What extraction left out, on the record like the rules' removals; a document's status stays the
    # rules' (`unchanged` when no rule removed anything).
    extraction_removals = blocks.left_out(text)
    result = clean(text, rules=rules, site=site, guardrail=guardrail)
    title_removals = []
    for rule, titles in title_rules if result.status != "guarded" else ():
        result, title_removals = drop_title_line(text, result, rule, titles)
        if title_removals:
            break
    status = result.status
    if (dom_removals or title_removals) and status == "unchanged":
        status = "cleaned"
    removals = dom_removals + extraction_removals + title_removals + result.removals
    return replace(result, removals=removals, status=status), text


def drop_title_line(text: str, result: Result, rule: PageTitleRule, titles: frozenset) -> tuple[Result, list[Removal]]:
    """`result` without the extracted text's first line when that line is the page's title (see
    kinds/page_title.py), and the removal for it; `result` unchanged and no removal otherwise. Done on
    the cleaned result, not before cleaning, so that the text rules still see the title (a later copy of
    it is theirs to remove)."""
    first = text.split("\n", 1)[0]
    start = len(first) - len(first.lstrip())
    line = first.strip()
    if not line or not rule.matches(line, titles) or any(r.start < start + len(line) for r in result.removals):
        return result, []
    # No removal starts inside the first line, so the output starts with it, as extracted.
    head, _, rest = result.text.partition("\n")
    if head.strip() != line:
        return result, []
    removal = Removal(rule=rule.meta.id, file=rule.meta.file, start=start, end=start + len(line), line=1,
                      text=line, reason=rule.meta.reason)
    return replace(result, text=rest.lstrip("\n")), [removal]  # no blank line left at the start


_TITLE = "Town council backs plan for new cycle lanes"
_PARAGRAPHS = (
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre, "
    "ending a debate that has divided residents for more than two years.",
    "Supporters argued that the lanes would cut traffic and make the streets safer for children.",
    "Construction is expected to begin in the autumn and to last about eighteen months.",
)
_EXAMPLE_PAGE = (
    "<html><head><title>Town council backs plan for new cycle lanes</title></head><body><article>"
    "<h1>Town council backs plan for new cycle lanes</h1>"
    "<p>The town council voted on Tuesday evening to fund a network of protected cycle lanes across the centre, "
    "ending a debate that has divided residents for more than two years.</p>"
    "<p>Supporters argued that the lanes would cut traffic and make the streets safer for children.</p>"
    "{snippet}"
    "<p>Construction is expected to begin in the autumn and to last about eighteen months.</p>"
    "</article></body></html>"
)


def selector_example(rule: SelectorRule | TeaserListRule | HoverCardRule, snippet: str) -> tuple[list[Removal], str]:
    """Run one selector, teaser-list or hover-card rule alone on `snippet` placed inside a small article page: its removals, and the
    page's text left afterwards (to check that nothing of the article went)."""
    tree = parse(_EXAMPLE_PAGE.format(snippet=snippet))
    removals = apply_selectors(tree, [rule])
    return removals, _folded_text(tree)


def example_page_text(snippet: str) -> str:
    """The text of the small article page with `snippet` placed inside it, nothing removed."""
    return _folded_text(parse(_EXAMPLE_PAGE.format(snippet=snippet)))


def _folded_text(tree: HtmlElement) -> str:
    return " ".join(" ".join(tree.itertext()).split())


def title_example(rule: PageTitleRule, line: str, as_title: bool) -> tuple[list[Removal], bool]:
    """Run one page-title rule alone on a small article page, where `line` is the page's title (in its
    `<title>` with a site name after it, and its `h1`) or else the article's first paragraph under
    another title: its removals, and whether every paragraph of the article is left."""
    if as_title:
        page = f"<html><head><title>{line} | Example News</title></head><body><article><h1>{line}</h1>"
    else:
        page = f"<html><head><title>{_TITLE}</title></head><body><article><p>{line}</p>"
    page += "".join(f"<p>{paragraph}</p>" for paragraph in _PARAGRAPHS) + "</article></body></html>"
    result = clean_html(page, rules=RuleSet((rule,), "examples"))
    return result.removals, all(paragraph in result.text for paragraph in _PARAGRAPHS)
