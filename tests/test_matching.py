"""One-pass matching gives exactly what per-line regex calls give, whatever the pattern."""
from __future__ import annotations

import pytest

from cleaner.document import Document
import cleaner
from cleaner.matching import LineMatcher, attach, fullmatch_lines, search_lines
from cleaner.native import engine as _engine
from cleaner.patterns import compile_regex
from cleaner.ruleset import default_rules

TEXT = (
    "Share\n\n  Read   more »\nfoo\nbar baz\n1,234 views\nBy Jo | 842 views | Follow\nPhoto: AP\n"
    "Ünïcode Straße läuft\n\nA long line of prose that goes on and on, with words, and ends here.\n"
    "**Read also:** the other story\n- [link text](http://x) item\nfoo\n\n\nlast"
)
PATTERNS = [
    r"share", r"read\s+more\W*", r"foo\s*", r"\s*bar\s+baz", r"[^x]*", r"\d[\d,]*\s+views",
    r"(?:[^|·•]{1,40}[|·•]\s*)+\d+\s+views(?:\s*[|·•]\s*[^|·•]{1,40})*", r"\Afoo", r"straße.*", r".*", r"",
    r"photo:\s*\w+", r"(?s).+",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("with_matcher", [True, False])
# A long text is scanned in slices cut at line ends: one slice, one per line or two, a few lines each.
@pytest.mark.parametrize("slice_bytes", [1 << 16, 1, 7, 40])
def test_same_lines_as_per_line_calls(pattern, with_matcher, slice_bytes, monkeypatch):
    monkeypatch.setattr(cleaner.matching, "_SLICE", slice_bytes)
    regex = compile_regex(pattern) if pattern else compile_regex("x?")
    doc = Document(TEXT)
    if with_matcher:
        attach(doc, LineMatcher([(regex, "full"), (regex, "search"), (compile_regex("zzz"), "full")]))
    plains = [line.plain for line in doc.lines]
    assert fullmatch_lines(doc, regex) == [i for i, p in enumerate(plains) if regex.fullmatch(p)]
    expected = []
    for index, plain in enumerate(plains):
        match = regex.search(plain)
        if match:
            expected.append((index, *match.span()))
    assert search_lines(doc, regex) == expected


@pytest.mark.parametrize("slice_bytes", [1 << 16, 50])
@pytest.mark.parametrize("warmed", [False, True])
def test_shipped_rules_match_as_per_line(slice_bytes, warmed, monkeypatch):
    """Also after warm(), which scans other text with the same automata first (as a forked worker's
    inherited matcher has)."""
    monkeypatch.setattr(cleaner.matching, "_SLICE", slice_bytes)
    rules = default_rules()
    doc = Document(TEXT * 3)
    matcher = LineMatcher([pair for rule in rules for pair in rule.line_regexes()])
    if warmed:
        matcher.warm([str(example) for rule in rules for example in rule.meta.examples_remove] + [TEXT[:500]])
    attach(doc, matcher)
    for rule in rules:
        for regex, mode in rule.line_regexes():
            plains = [line.plain for line in doc.lines]
            if mode == "full":
                assert fullmatch_lines(doc, regex) == [i for i, p in enumerate(plains) if regex.fullmatch(p)], rule.meta.id
            else:
                assert [i for i, _, _ in search_lines(doc, regex)] == [i for i, p in enumerate(plains) if regex.search(p)]


def test_candidates_are_the_regexes_that_match_a_line():
    """The Rust engine's answers make the candidates exact: a regex whose literal atom occurs in a line
    that it does not match is no candidate."""
    share, views = compile_regex(r"share"), compile_regex(r"\d[\d,]*\s+views")
    matcher = LineMatcher([(share, "full"), (views, "full")])
    doc = Document("Share this story\n\n842 views\n")
    attach(doc, matcher)
    assert doc._matching.candidates == {matcher.lookup(views, "full")}


def test_the_prefilter_skips_regexes_whose_words_are_absent():
    share, cookies = compile_regex(r"share(?: this)?"), compile_regex(r"we use cookies.*")
    matcher = LineMatcher([(share, "full"), (cookies, "full")])
    doc = Document("SHARE THIS\n\nA line of prose.\n")
    attach(doc, matcher)
    share_at = matcher.lookup(share, "full")
    cookies_at = matcher.lookup(cookies, "full")
    assert share_at in doc._matching.candidates  # found whatever the case
    assert cookies_at not in doc._matching.candidates



def test_every_regex_whose_words_occur_is_a_candidate():
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]
    regexes = [compile_regex(f"{word} .*") for word in words]
    matcher = LineMatcher([(regex, "full") for regex in regexes])
    doc = Document("Bravo team\n\nA line of prose.\n\nFOXTROT and GOLF club\n\nindia ink drawing\n")
    attach(doc, matcher)
    found = {words[matcher.lookup(regex, "full")] for regex in regexes
             if matcher.lookup(regex, "full") in doc._matching.candidates}
    assert found == {"bravo", "foxtrot", "india"}  # "GOLF club" holds golf, not at the line's start


def test_a_heavy_regex_is_answered_by_the_rust_engine_not_line_by_line(monkeypatch):
    """A heavy regex (whose RE2 automaton blew up on whole texts) costs RE2 nothing: the Rust engine
    tries it on the lines holding its atoms."""
    heavy = compile_regex(r"(?:[^|]{1,40}[|]\s*)+\d+\s+views")
    matcher = LineMatcher([(heavy, "full")])
    import cleaner.matching as matching

    calls = []
    per_line = matching._per_line
    monkeypatch.setattr(matching, "_per_line", lambda *args: calls.append(args) or per_line(*args))
    without = Document("A line of prose.\n\nBy Jo | Follow\n")
    attach(without, matcher)
    assert fullmatch_lines(without, heavy) == []
    with_words = Document("A line of prose.\n\nBy Jo | 842 views\n")
    attach(with_words, matcher)
    assert fullmatch_lines(with_words, heavy) == [2] and calls == []


def test_a_later_pass_matches_the_text_its_new_lines_show():
    """A removal that cuts a Markdown link leaves its URL as plain text: words the previous pass never
    read. The later pass's answers cover them, so the regex is not skipped."""
    subscribe = compile_regex(r".*subscribe.*")
    matcher = LineMatcher([(subscribe, "full")])
    first = Document("A line of prose.\n[Our letters](http://example.com/subscribe)\n")
    attach(first, matcher)
    assert fullmatch_lines(first, subscribe) == []
    later = Document("A line of prose.\n(http://example.com/subscribe)\n")
    attach(later, matcher, first)
    assert later._matching.carry()[1] == [1], "the cut line is new to the later pass"
    assert matcher.lookup(subscribe, "full") in later._matching.candidates  # so the rule is not skipped
    assert fullmatch_lines(later, subscribe) == [1]


def test_the_engine_skips_a_rule_that_needs_a_match_and_has_none():
    """src/engine.rs skips a rule whose kind needs a match of one of its regexes (line, block, tail,
    protect, caption) when the matcher's answers hold none. Shown with a kind that finds spans
    without any (duplicate), declared as needing one."""
    doc = Document("Title twice here\nTitle twice here\n")
    duplicate = _engine.Duplicate(1, 40, 0, 0)

    def spans(needs_a_match: bool, answers) -> list[tuple[int, int]]:
        engine = _engine.Engine([("duplicate", duplicate, [], [0], needs_a_match, "any", ["copy"])])
        found, protected = engine.run(doc.native, answers)
        assert protected == []
        return [(start, end) for start, end, *_ in found]

    assert spans(True, [[]]) == []
    assert spans(True, [[(0, 0, 5)]]) == [(17, 33)]
    assert spans(False, [[]]) == [(17, 33)]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_later_pass_carries_the_answers_over_and_matches_only_its_new_lines(pattern):
    """The engine's next pass runs on the output: lines moved (others went) and lines cut short by an
    inline removal. Carried over or not, the answers are those of per-line calls on the new text."""
    regex = compile_regex(pattern) if pattern else compile_regex("x?")
    matcher = LineMatcher([(regex, "full"), (regex, "search")])
    first = Document(TEXT)
    attach(first, matcher)
    fullmatch_lines(first, regex), search_lines(first, regex)
    lines = TEXT.split("\n")
    # Every other line goes, and one line is cut short (a text the first pass never saw).
    later_text = "\n".join(lines[::2] + ["bar", "Share this", "1,234"]) + "\n"
    later = Document(later_text)
    attach(later, matcher, first)
    plains = [line.plain for line in later.lines]
    assert later._matching.carry()[1], "the later text has lines the first pass did not see"
    assert fullmatch_lines(later, regex) == [i for i, p in enumerate(plains) if regex.fullmatch(p)]
    expected = [(i, *m.span()) for i, p in enumerate(plains) for m in [regex.search(p)] if m]
    assert search_lines(later, regex) == expected


def test_a_later_pass_scans_a_regex_the_first_pass_never_asked_about():
    share, views = compile_regex(r"share"), compile_regex(r"\d[\d,]*\s+views")
    matcher = LineMatcher([(share, "full"), (views, "full")])
    first = Document(TEXT)
    attach(first, matcher)
    fullmatch_lines(first, share)
    later = Document(TEXT.replace("Share\n", ""))
    attach(later, matcher, first)
    plains = [line.plain for line in later.lines]
    assert fullmatch_lines(later, views) == [i for i, p in enumerate(plains) if views.fullmatch(p)] != []
    assert fullmatch_lines(later, share) == []
