"""Run a rule's own `examples`: snippets it must remove and snippets it must keep.

Each snippet is placed in a small neutral article (or in the `article` the example gives) where the
rule's zone says such junk sits, and the rule is run alone. A `remove` snippet passes when every one of
its lines is removed and nothing of the article is; a `keep` snippet passes when nothing is removed.
A protect rule removes nothing itself: its `keep` lines must be ones it guards, its `remove` lines
look-alike junk it must leave unguarded.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from .document import Document
from .engine import clean
from .matching import attach, matcher_for
from .kinds import Rule
from .ruleset import RuleSet

_TITLE = "Town council backs plan for new cycle lanes"
_PARAGRAPHS = [
    "The town council voted on Tuesday evening to fund a network of protected cycle lanes across the "
    "centre, ending a debate that has divided residents for more than two years.",
    "Supporters argued that the lanes would cut traffic and make the streets safer for children, while "
    "shop owners worried that losing parking spaces would keep customers away from the high street.",
    "Construction is expected to begin in the autumn and to last about eighteen months, according to the "
    "council's transport officer, who presented the final budget to the members.",
]


@dataclass(frozen=True)
class ExampleFailure:
    rule: str
    file: str
    side: str  # "remove" or "keep"
    example: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: rule {self.rule}: {self.side} example {self.example!r}: {self.problem}"


def _compose(rule: Rule, snippet: str, article: str | None) -> str:
    if article is not None:
        return f"{article.rstrip()}\n\n{snippet}\n"
    if rule.meta.kind == "tail" or rule.meta.zone == "tail":
        parts = [_TITLE, *_PARAGRAPHS, snippet]
    elif rule.meta.zone == "head":
        parts = [_TITLE, snippet, *_PARAGRAPHS]
    else:
        parts = [_TITLE, *_PARAGRAPHS[:2], snippet, _PARAGRAPHS[2]]
    return "\n\n".join(parts) + "\n"


def _unpack(example) -> tuple[str, str | None]:
    if isinstance(example, dict):
        return str(example.get("text", "")), example.get("article")
    return str(example), None


def example_texts(example) -> tuple[str, ...]:
    """The texts of one rule example: its snippet, and its article when it has one."""
    snippet, article = _unpack(example)
    return (snippet,) if article is None else (snippet, str(article))


def _placed(rule: Rule, example) -> tuple[str, str, int]:
    """(snippet, the text it is placed in, where the snippet starts there)."""
    snippet, article = _unpack(example)
    text = _compose(rule, snippet, article)
    return snippet, text, text.rindex(snippet) if article is not None else text.index(snippet)


def check_examples(rule: Rule) -> list[ExampleFailure]:
    """Every failing example of one rule (an empty list when all pass)."""
    if rule.meta.kind in ("selector", "teaser-list", "hover-card"):  # HTML snippets, run on a page
        return _check_selector_examples(rule)
    if rule.meta.kind == "page-title":
        return _check_title_examples(rule)
    if rule.meta.kind == "protect":
        return _check_protect_examples(rule)
    failures = []
    alone = RuleSet((rule,), "examples")
    for side, examples in (("remove", rule.meta.examples_remove), ("keep", rule.meta.examples_keep)):
        for example in examples:
            snippet, text, snippet_start = _placed(rule, example)
            snippet_end = snippet_start + len(snippet)
            # A site-scoped rule only runs on its site: test it there.
            removed = clean(text, rules=alone, site=rule.meta.sites[0] if rule.meta.sites else None).removals
            inside = [r for r in removed if snippet_start <= r.start and r.end <= snippet_end]
            outside = [r for r in removed if r not in inside]

            def fail(problem: str) -> None:
                failures.append(ExampleFailure(rule.meta.id, rule.meta.file, side, snippet, problem))

            if outside:
                fail(f"removed text outside the example: {outside[0].text!r}")
            elif side == "keep" and inside:
                fail(f"removed {inside[0].text!r}")
            elif side == "remove":
                removed_chars = sum(r.end - r.start for r in inside)
                kept = "".join(snippet.split())
                gone = "".join("".join(r.text for r in inside).split())
                if len(gone) < len(kept) or removed_chars == 0:
                    fail(f"not all of it was removed (removed: {[r.text for r in inside]!r})")
    return failures


def _check_protect_examples(rule: Rule) -> list[ExampleFailure]:
    """Every line of a `keep` snippet must be guarded by the rule (whatever else matches it, it stays);
    no line of a `remove` snippet may be (it would shield junk from the rules that remove it)."""
    failures = []
    for side, examples in (("remove", rule.meta.examples_remove), ("keep", rule.meta.examples_keep)):
        for example in examples:
            snippet, text, snippet_start = _placed(rule, example)
            doc = Document(text)
            attach(doc, matcher_for([rule]))
            line_starts = [line.start for line in doc.lines]
            guarded = {bisect_right(line_starts, span.start) - 1 for span in rule.find(doc)}
            lines = [
                line
                for line in doc.lines
                if line.plain and snippet_start <= line.start < snippet_start + len(snippet)
            ]
            wrong = [line for line in lines if (line.index in guarded) != (side == "keep")]
            if wrong:
                problem = "not guarded" if side == "keep" else "guarded, so no rule could remove it"
                failures.append(ExampleFailure(rule.meta.id, rule.meta.file, side, snippet, f"{wrong[0].text!r} is {problem}"))
    return failures


def _check_selector_examples(rule: Rule) -> list[ExampleFailure]:
    """Selector (and teaser-list) examples are HTML snippets, run on a small article page: a `remove` snippet must go whole
    and nothing else with it; nothing of a `keep` snippet may go. A hover card sits inside a paragraph, so a
    hover-card `remove` snippet is that paragraph: the card must go, and only the card."""
    from .html import example_page_text, selector_example  # only selector rules need the HTML stack

    failures = []
    _, article_only = selector_example(rule, "")
    for side, examples in (("remove", rule.meta.examples_remove), ("keep", rule.meta.examples_keep)):
        for example in examples:
            snippet, _ = _unpack(example)
            removals, left = selector_example(rule, snippet)
            problem = None
            if side == "keep" and removals:
                problem = f"removed {removals[0].text!r} ({removals[0].node})"
            elif side == "remove" and not removals:
                problem = "the rule did not match it"
            elif side == "remove" and rule.meta.kind == "hover-card":
                expected = example_page_text(snippet)
                for removal in removals:
                    expected = expected.replace(removal.text, "", 1)
                if left != " ".join(expected.split()) or any(r.text in left for r in removals):
                    problem = f"more or less than the card went: {left!r}"
            elif side == "remove" and left != article_only:
                problem = f"the page left is not the article alone: {left!r}"
            if problem:
                failures.append(ExampleFailure(rule.meta.id, rule.meta.file, side, snippet, problem))
    return failures


def _check_title_examples(rule: Rule) -> list[ExampleFailure]:
    """Page-title examples are lines: a `remove` line, made the title of a small article page, must go
    and the article stay; a `keep` line, the first paragraph of a page titled otherwise, must stay."""
    from .html import title_example

    failures = []
    for side, examples in (("remove", rule.meta.examples_remove), ("keep", rule.meta.examples_keep)):
        for example in examples:
            line, _ = _unpack(example)
            removals, article_kept = title_example(rule, line, as_title=side == "remove")
            problem = None
            if side == "keep" and removals:
                problem = f"removed {removals[0].text!r}"
            elif side == "remove" and [r.text for r in removals] != [line]:
                problem = f"the title line was not removed alone (removed: {[r.text for r in removals]!r})"
            elif not article_kept:
                problem = "the article around it did not survive"
            if problem:
                failures.append(ExampleFailure(rule.meta.id, rule.meta.file, side, line, problem))
    return failures


def check_ruleset(rules: RuleSet) -> list[ExampleFailure]:
    return [failure for rule in rules for failure in check_examples(rule)]
