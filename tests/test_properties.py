"""Properties of the engine over random documents and random rule packs (hypothesis).

- Accounting: the words of the input are exactly the words of the output plus the words of the
  removals (multisets), whatever the rules: nothing is lost that the report does not name.
- Removals are honest: each one's text is the input between its offsets, they do not overlap, and
  their line numbers are right.
- Idempotence: cleaning a cleaned output removes nothing (shipped pack, every fixture, random pages).
"""
from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import clean
from cleaner.document import words
from cleaner.guardrail import Guardrail
from cleaner.ruleset import RuleSet, build_rule
from conftest import FIXTURES

# Lines a scraped page is made of: junk the shipped pack knows, article prose, headline-sized lines,
# Markdown decoration, and odd characters. Documents are random sequences of them.
JUNK = [
    "Previous Article", "Next Article", "Related posts", "Read more", "Share this:", "Write a Comment",
    "No time to read?", "Get a summary", "1313 Viewed", "Photo: Reuters", "Accept all cookies",
    "How useful was this post?", "Click on a star to rate it!", "Average rating 4.5 / 5. Vote count: 12",
    "We use cookies to improve your experience on our site.", "Home | News | Sport", "© 2024 Example Media",
    "Subscribe to our newsletter", "10:42 am - Friday January 5, 2024", "Advertisement", "Menu", "Log in",
]
PROSE = [
    "The council approved the new harbour plan on Monday after a long debate about its cost and timing.",
    "Researchers at the university found that the coral spawned three days earlier than in previous years.",
    "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr mit großer Mehrheit beschlossen.",
    "Les vendanges ont commencé avec deux semaines d'avance dans la plupart des vignobles de la région.",
    "El ayuntamiento aprobó el plan de riego después de varios meses de negociaciones con los agricultores.",
    "She said the only cookies she cares about are the ones from the bakery on the corner of the square.",
]
HEADLINES = ["Harbour works to start in spring", "City marathon record falls", "Neue Buslinie ab Montag", "## Who pays", "**Berlin** —"]
ODD = ["", "   ", "\t", "\ufeff", "\u200b", "ß", "İstanbul", "日本語のテキストです。", "- a", "* b", "> quote", "#", "a\u0301", "x" * 400]

line_strategy = st.one_of(
    st.sampled_from(JUNK), st.sampled_from(PROSE), st.sampled_from(HEADLINES), st.sampled_from(ODD),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
break_strategy = st.sampled_from(["\n", "\n", "\n", "\n\n", "\r\n", "\r", "\n\n\n"])


@st.composite
def documents(draw) -> str:
    lines = draw(st.lists(line_strategy, max_size=40))
    breaks = draw(st.lists(break_strategy, min_size=len(lines), max_size=len(lines)))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    return bom + "".join(line + brk for line, brk in zip(lines, breaks))


# Pieces user patterns are made of: words that occur in the documents above, and regex furniture.
TOKENS = ["previous", "article", "read more", "cookies", "the", "harbour", "menu", "home", "photo", "share",
          "\\d+", "\\pL+", ".*", ".+", ".{0,30}", "[a-z ]+", "(?:news|sport)", "x+", "rated?", "©"]
zones = st.sampled_from(["any", "any", "head", "body", "tail"])


@st.composite
def patterns(draw) -> str:
    """Patterns that often match whole lines of the documents: a known line, a word anywhere, or a
    few pieces in a row."""
    shape = draw(st.integers(0, 2))
    if shape == 0:
        return re.escape(draw(st.sampled_from(JUNK + HEADLINES + PROSE)).strip() or "x")
    if shape == 1:
        return ".*" + draw(st.sampled_from(TOKENS)) + ".*"
    return " ?".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=3)))


@st.composite
def rule_specs(draw, index: int) -> dict:
    kind = draw(st.sampled_from(["line", "phrase", "block", "block", "tail", "duplicate", "caption", "protect", "heuristic"]))
    spec = {"id": f"r{index}", "description": "random rule", "kind": kind, "zone": draw(zones)}
    if kind in ("line", "protect"):
        spec["patterns"] = draw(st.lists(patterns(), min_size=1, max_size=3))
    elif kind == "phrase":
        spec["phrases"] = draw(st.lists(st.sampled_from(JUNK + HEADLINES), min_size=1, max_size=5))
    elif kind == "block":
        spec["start"] = draw(patterns())
        if draw(st.booleans()):
            spec["end"] = draw(patterns())
            spec["max_lines"] = draw(st.integers(1, 10))
        else:
            spec["take_next"] = draw(st.integers(0, 4))
    elif kind == "tail":
        spec["marker"] = draw(patterns())
        spec["max_lines"] = draw(st.integers(1, 60))
    elif kind == "duplicate":
        spec["min_chars"] = draw(st.integers(1, 30))
        spec["within_lines"] = draw(st.integers(0, 10))
    elif kind == "caption":
        spec["credit"] = draw(st.sampled_from(["photo:?.*", "\\(ap photo.*\\)", "reuters", "getty images"]))
        spec["min_overlap"] = draw(st.sampled_from([0.0, 0.3, 1.0]))
    elif kind == "heuristic":
        spec["detector"] = draw(st.sampled_from(["short-line-run", "link-like"]))
    return spec


@st.composite
def rule_packs(draw) -> RuleSet:
    count = draw(st.integers(1, 6))
    rules = []
    for index in range(count):
        spec = draw(rule_specs(index))
        try:
            rules.append(build_rule(spec, "random.yaml"))
        except Exception:  # noqa: BLE001 - a spec this generator got wrong for a kind: leave it out
            continue
    return RuleSet(tuple(rules), "random")


def check_accounting(text: str, result) -> None:
    removed = Counter()
    for removal in result.removals:
        removed.update(words(removal.text))
    assert Counter(words(text)) == Counter(words(result.text)) + removed
    assert sum(removed.values()) + len(words(result.text)) == len(words(text))


def check_removals(text: str, result) -> None:
    previous_end = 0
    for removal in result.removals:
        assert 0 <= removal.start < removal.end <= len(text)
        assert removal.start >= previous_end, "removals overlap or are out of order"
        assert removal.text == text[removal.start:removal.end]
        assert removal.text == removal.text.strip()
        line_start = max(text.rfind("\n", 0, removal.start), text.rfind("\r", 0, removal.start)) + 1
        assert removal.line == _line_number(text, line_start)
        previous_end = removal.end


def _line_number(text: str, offset: int) -> int:
    head = text[:offset]
    return head.count("\r\n") + (head.count("\n") - head.count("\r\n")) + (head.count("\r") - head.count("\r\n")) + 1


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=documents(), rules=rule_packs())
def test_accounting_random_rules(text, rules):
    result = clean(text, rules=rules)
    check_accounting(text, result)
    check_removals(text, result)
    assert result.chars_in == len(text)


@SETTINGS
@given(text=documents())
def test_accounting_shipped_pack(text, shipped_rules):
    result = clean(text, rules=shipped_rules)
    check_accounting(text, result)
    check_removals(text, result)


@SETTINGS
@given(text=documents(), rules=rule_packs())
def test_keep_mode_loses_no_word(text, rules):
    result = clean(text, rules=rules, guardrail=Guardrail(mode="keep"))
    check_accounting(text, result)
    if result.status == "guarded":
        assert result.removals == [] and Counter(words(result.text)) == Counter(words(text))


@SETTINGS
@given(text=documents())
def test_idempotent_shipped_pack(text, shipped_rules):
    once = clean(text, rules=shipped_rules)
    twice = clean(once.text, rules=shipped_rules)
    assert twice.removals == []
    assert twice.text == once.text


@SETTINGS
@given(text=documents(), rules=rule_packs())
def test_deterministic(text, rules):
    first, second = clean(text, rules=rules), clean(text, rules=rules)
    assert first == second


def _fixtures():
    paths = sorted(FIXTURES.glob("*/raw/*.txt")) + sorted(FIXTURES.glob("*/expected/*.txt"))
    paths += sorted(FIXTURES.glob("untouched/*.txt")) + sorted(FIXTURES.glob("clean-prose/**/*.txt"))
    return [pytest.param(p, id=str(p.relative_to(FIXTURES))) for p in paths]


@pytest.mark.parametrize("path", _fixtures())
def test_fixture_accounting_and_idempotence(path, shipped_rules):
    text = path.read_text(encoding="utf-8")
    once = clean(text, rules=shipped_rules)
    check_accounting(text, once)
    check_removals(text, once)
    twice = clean(once.text, rules=shipped_rules)
    assert [(r.rule, r.text) for r in twice.removals] == []
    assert twice.text == once.text


def test_idempotence_needs_more_than_one_pass(shipped_rules):
    """A teaser list that follows the article only once the junk after it is gone: one pass of the
    rules leaves it, so the engine passes again until nothing more goes."""
    text = (
        "Harbour works to start in spring\n\n"
        + PROSE[0] + "\n\n" + PROSE[1] + "\n\n"
        + "Related posts\nCity marathon record falls\nNeue Buslinie ab Montag\n\n"
        + "Harbour works to start in spring\n"
    )
    once = clean(text, rules=shipped_rules)
    assert clean(once.text, rules=shipped_rules).removals == []
    check_accounting(text, once)


@pytest.mark.parametrize("text", ["\n\ufeff\n", "\n\n\ufeffTitle\n\nBody text.\n", "\ufeff\ufeffTitle\n"])
def test_a_bom_that_becomes_the_first_line_is_dropped_once(text, shipped_rules):
    """Found by hypothesis: a BOM on the output's first line was kept, and dropped by the next clean."""
    once = clean(text, rules=shipped_rules)
    # A document with nothing removed is written as it came, BOMs too; a cleaned one starts without.
    assert once.text == text if once.status == "unchanged" else not once.text.startswith("\ufeff")
    assert clean(once.text, rules=shipped_rules).text == once.text


def test_a_cascade_of_passes_reaches_a_fixpoint(shipped_rules):
    """Found by bench/fuzz.py: each pass removed one more copy of a repeated line, and the link row
    only became removable after the last one; six passes in all."""
    prose = PROSE[0]
    text = (
        f"Previous Article\nPrevious Article\n{prose}\nShare this:\n\n\nHome | News | Sport\n\n\n"
        f"Harbour works to start in spring\n\n{prose}\n{prose}\nCity marathon record falls\n{prose}\n\n{prose}\n"
    )
    once = clean(text, rules=shipped_rules)
    check_accounting(text, once)
    assert clean(once.text, rules=shipped_rules).removals == []
