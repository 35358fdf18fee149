"""`selector`: HTML only. DOM nodes matched by CSS selectors, removed before extraction.

The text engine runs every kind over a Document; a selector has nothing to match in text, so its find()
yields nothing and cleaner/html.py applies select() on the parsed page instead.

A selector is only ever as precise as the page's class names: `.share` on a page whose whole article sits
in `<div class="share">` would take the article. So a matched node that holds most of the page's text,
or that contains the article container, is left alone (see `max_share`).
"""
from __future__ import annotations

from ..errors import shown

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from cssselect import GenericTranslator, HTMLTranslator, SelectorError, parse
from cssselect.parser import Attrib, Class, Element, Hash
from lxml.etree import XPath, XPathError

from .base import PageRule

_TRANSLATOR = HTMLTranslator()
# Elements that carry a class or an id: the only ones the pack's selectors can match. Collected once per
# page (in C).
_CANDIDATES = XPath("//*[@class or @id]")


class Candidate(NamedTuple):
    """A named tuple, not a frozen dataclass: a page makes thousands, and a tuple is built far faster."""

    element: object
    classes: frozenset
    id: str | None


def candidates(tree, rules: list) -> list[Candidate]:
    """The elements of `tree` with a class or an id that a simple selector of `rules` may match, in
    document order, for SelectorRule.select(). Most elements carry no class or id any rule looks for;
    testing those once here, against all the rules' keys together, is far cheaper than building a
    Candidate for each and testing it rule by rule."""
    simple = [rule for rule in rules if rule.simple]
    if not simple:
        return []
    class_keys = frozenset().union(*(rule._class_keys for rule in simple))
    ids = frozenset().union(*(rule._by_id for rule in simple))
    # Selectors keyed by neither (`[id^=x]`) are prefiltered in one XPath walk, not tested in Python.
    conditions = " or ".join(sel.condition() for rule in simple for sel in rule._unindexed)
    others = set(_xpath(f"//*[{conditions}]")(tree)) if conditions else ()
    found = []
    for el in _CANDIDATES(tree):
        ident, classes = el.get("id"), (el.get("class") or "").split()
        if ident in ids or not class_keys.isdisjoint(classes) or el in others:
            found.append(Candidate(el, frozenset(classes), ident))
    return found


@lru_cache(maxsize=32)
def _xpath(source: str) -> XPath:
    return XPath(source)


@dataclass(frozen=True)
class _Simple:
    """A compound selector without combinators or pseudo-classes: tag, #id, .classes, [attr op value]."""

    tag: str | None
    id: str | None
    classes: frozenset
    attribs: tuple

    def matches(self, candidate: Candidate) -> bool:
        el = candidate.element
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and candidate.id != self.id:
            return False
        if not self.classes <= candidate.classes:
            return False
        return all(_attrib_matches(el.get(name), op, value) for name, op, value in self.attribs)

    def condition(self) -> str:
        """An XPath condition true of every element this selector matches when it has no id and no class
        (its attributes only: matches() has the last word)."""
        tests = []
        for name, op, value in self.attribs:
            attr = f"@{name}" if _XML_NAME.fullmatch(name) else f"@*[name() = {_literal(name)}]"
            if op == "exists":
                tests.append(attr)
            elif op == "=":
                tests.append(f"{attr} = {_literal(value)}")
            elif op == "^=":
                tests.append(f"starts-with({attr}, {_literal(value)})")
            else:  # *=, $= and ~= all need the value somewhere in the attribute
                tests.append(f"contains({attr}, {_literal(value)})")
        return "(" + " and ".join(tests) + ")"


_literal = GenericTranslator.xpath_literal
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _attrib_matches(actual: str | None, op: str, value: str | None) -> bool:
    if actual is None:
        return False
    if op == "exists":
        return True
    if op == "=":
        return actual == value
    if op == "^=":
        return bool(value) and actual.startswith(value)
    if op == "$=":
        return bool(value) and actual.endswith(value)
    if op == "*=":
        return bool(value) and value in actual
    if op == "~=":
        return value in actual.split()
    return False


def _simple(css: str) -> _Simple | None:
    """The selector as a _Simple when it is one that needs a class or an id, else None (XPath then)."""
    parsed = parse(css)
    if len(parsed) != 1 or parsed[0].pseudo_element:
        return None
    node, tag, ident, classes, attribs = parsed[0].parsed_tree, None, None, set(), []
    while True:
        if isinstance(node, Class):
            classes.add(node.class_name)
        elif isinstance(node, Hash):
            ident = node.id
        elif isinstance(node, Attrib) and node.namespace is None and node.operator in _OPERATORS:
            value = node.value.value if node.value is not None else None
            attribs.append((node.attrib, node.operator, value))
        elif isinstance(node, Element):
            tag = node.element if node.element not in (None, "*") else None
            break
        else:
            return None
        node = node.selector
    needs_class_or_id = ident is not None or classes or any(name in ("id", "class") for name, _, _ in attribs)
    if not needs_class_or_id:
        return None
    return _Simple(tag, ident, frozenset(classes), tuple(attribs))


_OPERATORS = frozenset({"exists", "=", "^=", "$=", "*=", "~="})


class SelectorRule(PageRule):
    kind = "selector"
    required = ("selectors",)
    optional = ("max_share",)

    def __init__(self, meta, params):
        super().__init__(meta, params)
        self.selectors = self.strings("selectors")
        self.max_share = self.number("max_share", 0.4)
        paths = []
        for css in self.selectors:
            try:
                paths.append(_TRANSLATOR.css_to_xpath(css))
            except SelectorError as exc:
                raise self.error(f"'selectors': not a CSS selector cssselect can take: {shown(css)}: {exc}") from None
        # Simple selectors (the usual .class, #id, tag.class) are checked against the page's candidates
        # in Python; a rule with any other selector runs as one XPath, a walk of the whole tree.
        simple = [_simple(css) for css in self.selectors]
        self.simple = tuple(simple) if all(simple) else None
        # Index by one class or the id each simple selector needs, so a candidate is tested only against
        # the selectors that could match it.
        self._by_class: dict[str, list[_Simple]] = {}
        self._by_id: dict[str, list[_Simple]] = {}
        self._unindexed: list[_Simple] = []
        for sel in self.simple or ():
            if sel.id is not None:
                self._by_id.setdefault(sel.id, []).append(sel)
            elif sel.classes:
                self._by_class.setdefault(min(sel.classes), []).append(sel)
            else:
                self._unindexed.append(sel)
        self._class_keys = frozenset(self._by_class)
        self.xpath_source = " | ".join(paths)
        try:
            self.xpath = XPath(self.xpath_source)
        except XPathError as exc:  # cssselect output is valid XPath; this is a guard, not a user path
            raise self.error(f"'selectors': {exc}") from None

    def select(self, tree, page: list[Candidate] | None = None) -> list:
        """The outermost elements of `tree` the selectors match, in document order. `page` is
        candidates(tree, rules), computed once per page when several rules run."""
        if self.simple is not None:
            page = candidates(tree, [self]) if page is None else page
            matched = [c.element for c in page if self._matches(c)]
        else:
            matched = [node for node in self.xpath(tree) if hasattr(node, "tag") and isinstance(node.tag, str)]
        return _outermost(matched)

    def may_match(self, candidate: Candidate) -> bool:
        """False when no selector of the rule can match `candidate` (most candidates, for most rules);
        always True for a rule that runs as XPath."""
        return (self.simple is None or bool(self._unindexed) or candidate.id in self._by_id
                or not candidate.classes.isdisjoint(self._class_keys))

    def _matches(self, candidate: Candidate) -> bool:
        if not self.may_match(candidate):
            return False
        tests = list(self._unindexed)
        if candidate.id in self._by_id:
            tests += self._by_id[candidate.id]
        for name in candidate.classes & self._class_keys:
            tests += self._by_class[name]
        return any(sel.matches(candidate) for sel in tests)


def _outermost(matched: list) -> list:
    """Drop matches nested in another match: removing the outer node takes them with it."""
    chosen = set(matched)
    return [node for node in matched if not any(parent in chosen for parent in node.iterancestors())]
