"""Issue 22, its first piece in Rust: cleaner._engine.LineMatcher answers as RE2 does, line by line, for
every regex the engine asks about while it cleans every fixture, and for patterns where the two
syntaxes differ (ASCII classes, quoting, literal braces, class punctuation)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner
from cleaner import engine as engine_module, matching
from cleaner._engine import JoinedLines, LineMatcher, translate_pattern
from cleaner.decode import decode_bytes
from cleaner.document import Document
from cleaner.html import page_text
from cleaner.patterns import compile_regex

ROOT = Path(__file__).resolve().parents[1]


def _expected(regex, full: bool, plains: list[str], max_chars: int | None = None) -> list[tuple[int, int, int]]:
    """What matching.py's contract says: each line alone, through RE2; only lines of at most
    `max_chars` characters, when it is given."""
    found = []
    for index, plain in enumerate(plains):
        if max_chars is not None and len(plain) > max_chars:
            continue
        if full:
            if regex.fullmatch(plain):
                found.append((index, 0, len(plain)))
        else:
            match = regex.search(plain)
            if match:
                found.append((index, *match.span()))
    return found


def _fixture_texts() -> list[str]:
    texts = []
    for folder in ("seeds/raw", "families/raw", "untouched", "junk-lines", "clean-prose"):
        texts += [decode_bytes(path.read_bytes()) for path in sorted((ROOT / "fixtures" / folder).glob("*.*"))]
    texts += [page_text(decode_bytes(path.read_bytes(), is_html=True)) for path in sorted((ROOT / "fixtures/html").glob("*.html"))]
    return texts


@pytest.fixture(scope="module")
def asked(shipped_rules_module):
    """(pattern, full, the longest line it answers for) -> {the document's joined plain lines: (its plain
    lines, the answers the engine used)}, recorded from every pass of the engine while it cleans every
    fixture and every rule example: the answers the rules' engine (src/engine.rs) reads, carried over
    between passes or not."""
    asked: dict[tuple[str, bool, int | None], dict[str, tuple[list[str], list]]] = {}
    original = matching.attach

    def spy(doc, matcher, previous=None):
        original(doc, matcher, previous)
        plains = doc.native.plains()
        joined = "\n".join(plains)
        for (regex_id, mode), position in matcher._index.items():
            regex = next(r for r in matcher._keep if id(r) == regex_id)
            key = (regex.pattern, mode == matching.FULL, matcher.max_chars[position])
            asked.setdefault(key, {})[joined] = (plains, doc._matching.answers[position])

    texts = _fixture_texts()
    for rule in shipped_rules_module.rules:
        texts += [example if isinstance(example, str) else example.get("text", "")
                  for example in (*rule.meta.examples_remove, *rule.meta.examples_keep)]
    engine_module.attach = spy
    try:
        for text in texts:
            if isinstance(text, str):
                cleaner.clean(text, rules=shipped_rules_module)
    finally:
        engine_module.attach = original
    return asked


@pytest.fixture(scope="module")
def shipped_rules_module():
    return cleaner.load_rules([])


def test_every_regex_the_engine_asks_about_matches_the_same_lines(asked):
    assert len(asked) > 50, "the spy saw too few regexes: the engine's call path changed"
    differences, compared = [], 0
    limited = [key for key in asked if key[2] is not None]
    assert len(limited) > 20, "no regex of a `line` rule came with its rule's max_chars"
    for (pattern, full, max_chars), documents in sorted(asked.items(), key=str):
        regex = compile_regex(pattern, ignore_case=False)
        for joined, (plains, got) in documents.items():
            compared += 1
            if sorted(got) != _expected(regex, full, plains, max_chars):
                differences.append((pattern, full, joined[:80]))
    assert compared > 1000
    assert not differences, differences[:5]


def test_every_shipped_line_regex_matches_the_same_lines_of_every_fixture(shipped_rules_module):
    """Beyond what the engine asks (the prefilter spares most regexes most documents): every rule's line
    regexes on every fixture's lines."""
    pairs = sorted({(regex.pattern, mode == matching.FULL) for rule in shipped_rules_module.rules
                    for regex, mode in rule.line_regexes()})
    assert len(pairs) > 50
    matcher = LineMatcher(pairs)
    documents = [[line.plain for line in Document(text).lines] for text in _fixture_texts()]
    joined = [JoinedLines("\n".join(plains)) for plains in documents]
    differences = []
    for position, (pattern, full) in enumerate(pairs):
        regex = compile_regex(pattern, ignore_case=False)
        for plains, lines in zip(documents, joined):
            if matcher.scan(position, lines) != _expected(regex, full, plains):
                differences.append((pattern, full, plains[:2]))
    assert not differences, differences[:5]
    # All at once, each regex tried only on the lines holding one of its literal atoms.
    assert matcher.unfiltered() < len(pairs) // 4
    for plains, lines in zip(documents, joined):
        every = matcher.scan_all(lines)
        for position, (pattern, full) in enumerate(pairs):
            if every[position] != _expected(compile_regex(pattern, ignore_case=False), full, plains):
                differences.append((pattern, full, plains[:2]))
    assert not differences, differences[:5]


# Patterns whose meaning the translation has to keep, on lines that tell the two syntaxes apart.
TRICKY = [
    r"\bfoo\b", r"\w+", r"(?i)\w+", r"[\W]+", r"[^\w\s]+", r"\d+", r"[\d.]+", r"\s+x", r"\Qa.b\E",
    r"a{,3}", r"a{2}", r"x{", r"[[]", r"[a&&b]+", r"[~]", r"[]a]+", r"[^]a]+", r"\pL+", r"\p{Greek}+",
    r"(?i)straße", r"(?i)STRASSE", r"[[:alpha:]]+", r"\B.", r"é\b", r"^\s*$", r"(?i)k", r"\x41", r"\x{263a}",
    r"[a-c-]+", r"\.\*\+", r"(?i)[a-z]+", r"(?U)a+", r"\Afoo", r"bar\z",
]
LINES = ["foo bar", "éfoo", "fooé", "K and ſ", "Ｋ", "a.b a{,3} aa x{ [ &&b ~", "]a]", "Ελληνικά 12.5",
         "Straße STRASSE", "   ", "", "A ☺ \u263a", "x-yz-", ".*+", "aaa", "foo", "bar", "ǅ ǆ"]


@pytest.mark.parametrize("pattern", TRICKY)
@pytest.mark.parametrize("full", [True, False])
def test_where_the_syntaxes_differ_the_lines_matched_do_not(pattern, full):
    regex = compile_regex(pattern)
    matcher = LineMatcher([(regex.pattern, full)])
    lines = JoinedLines("\n".join(LINES))
    expected = _expected(regex, full, LINES)
    assert matcher.scan(0, lines) == expected, translate_pattern(regex.pattern)
    assert matcher.scan_all(lines) == [expected], translate_pattern(regex.pattern)


def test_a_match_across_lines_is_settled_by_the_line_alone():
    lines = ["total 12", "views", "x"]
    for pattern in (r"\d+\s+views", r"[^x]+", r"total[\s\S]*"):
        regex = compile_regex(pattern)
        for full in (True, False):
            got = LineMatcher([(regex.pattern, full)]).scan(0, JoinedLines("\n".join(lines)))
            assert got == _expected(regex, full, lines), pattern


@pytest.mark.parametrize("pattern", [
    r"\d+(?: \w+)*",  # no atom: every line is tried
    r"(?i)read more\W*",  # atoms: the lines holding one are tried
    r"x[ .]y",  # one-byte atoms: the lines holding the byte are tried
])
def test_a_regex_with_a_longest_line_answers_only_lines_that_short(pattern):
    """A `line` rule reads no line longer than its max_chars, so its regex is tried on none: counted
    in characters (Python's len), not bytes."""
    lines = ["12 ab", "12 abcdef", "Read more", "Read more!!!", "x y", "x.yzzz", "ééééé 1", "ü", ""]
    lines += [line + " 7" for line in lines]
    joined = JoinedLines("\n".join(lines))
    regex = compile_regex(pattern, ignore_case=False)
    for max_chars in (0, 3, 5, 7, 9, 12, None):
        matcher = LineMatcher([(pattern, True), (pattern, False)], [max_chars, max_chars])
        every = matcher.scan_all(joined)
        for position, full in enumerate((True, False)):
            expected = _expected(regex, full, lines, max_chars)
            assert matcher.scan(position, joined) == expected, (max_chars, full)
            assert every[position] == expected, (max_chars, full)
    assert _expected(regex, False, lines, 5) != _expected(regex, False, lines), "the lines do not tell the limit apart"


def test_a_pattern_the_crate_cannot_take_names_its_position():
    with pytest.raises(ValueError, match=r"pattern 1 .*\\C"):
        LineMatcher([("a", True), (r"a\C", True)])


def test_a_rule_pattern_the_rust_engine_cannot_take_is_an_error_in_its_file(tmp_path):
    rule = tmp_path / "mine.yaml"
    rule.write_text("id: any-byte\ndescription: d\nkind: line\npattern: 'a\\C'\n", encoding="utf-8")
    with pytest.raises(cleaner.errors.RuleError) as caught:
        cleaner.load_rules([rule], defaults=False)
    message = str(caught.value)
    assert "mine.yaml" in message and "any-byte" in message and "Rust engine" in message


def test_a_later_pass_carries_answers_equal_to_a_fresh_scan(shipped_rules_module):
    """A later pass asks the Rust engine about its new lines only (those a removal cut into) and
    carries the rest from the previous pass: the answers must equal a scan of the whole text."""
    matcher = matching.matcher_for(shipped_rules_module.for_site(None))
    compared = 0
    for text in _fixture_texts():
        output = cleaner.clean(text, rules=shipped_rules_module).text
        first = Document(text)
        matching.attach(first, matcher)
        assert first._matching.answers is not None
        later, fresh = Document(output), Document(output)
        matching.attach(later, matcher, first)
        matching.attach(fresh, matcher)
        assert later._matching.answers == fresh._matching.answers
        compared += output != text
    assert compared > 20  # texts where the later pass differs from the first


def test_a_later_pass_answers_its_new_lines_and_carries_the_others():
    share = compile_regex(r"share this")
    views = compile_regex(r"\d+ views")
    matcher = matching.LineMatcher([(share, matching.FULL), (views, matching.SEARCH)])
    first = Document("Share this\n\nA line of prose.\nShare this story now | 12 views\nEnd.\n")
    matching.attach(first, matcher)
    assert first._matching.answers == [[(0, 0, 10)], [(3, 23, 31)]]
    # A removal cut the longer line in two: "12 views" is new to the later pass.
    text = "Share this\n\nA line of prose.\nShare this\n12 views\nEnd.\n"
    later, fresh = Document(text), Document(text)
    matching.attach(later, matcher, first)
    matching.attach(fresh, matcher)
    assert later._matching.carry()[1] == [4]  # "Share this" is the text of line 0 before
    assert later._matching.answers == fresh._matching.answers == [[(0, 0, 10), (3, 0, 10)], [(4, 0, 8)]]


def test_a_panic_in_the_rust_engine_is_an_exception_the_batch_catches():
    """A BaseException (pyo3's PanicException) would pass the batch's `except Exception` and end a run;
    the engine turns its panics into RuntimeError, which fails one document."""
    from cleaner import _engine

    with pytest.raises(RuntimeError, match="internal error in the Rust engine: on purpose"):
        _engine._panic_for_tests()


# Pieces of patterns and lines where RE2 and the regex crate, or the atoms and the folding, could part:
# case pairs that fold oddly (ß/ẞ, ſ/s, K/k/K, σ/ς/Σ, İ/i), ASCII classes next to non-ASCII letters,
# quoting, braces that are no repetition, class punctuation.
PIECES = ["a", "B", "ß", "ẞ", "ſ", "s", "K", "k", "σ", "ς", "Σ", "İ", "i", "é", "☺", " ", "-", ".", ":", "12",
          r"\w", r"\W", r"\d", r"\s", r"\S", r"\b", r"\B", r"\pL", r"[a-c]", r"[^a ]", r"[\w-]", r"[ß-]", r"\Qa.b\E",
          "x{", "{2}", "(?:ab|ς)", "(?:share|teilen)", "(?i:K)", ".*", "(?:s)?", "+", "*", "?", "|", "^", "$"]
CHARS = "aAbBsSſßẞkKKσςΣİiıé☺ -.:12{}[]|"


@st.composite
def patterns(draw) -> str:
    return "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6)))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(pattern=patterns(), lines=st.lists(st.text(alphabet=CHARS, max_size=12), min_size=1, max_size=6),
       full=st.booleans())
def test_random_patterns_match_the_lines_re2_matches(pattern, lines, full):
    try:
        regex = compile_regex(pattern)
    except ValueError:
        return  # RE2 refuses it (a quantifier after nothing, say): a rule file error, never matched
    matcher = LineMatcher([(regex.pattern, full)])
    joined = JoinedLines("\n".join(lines))
    expected = _expected(regex, full, lines)
    assert matcher.scan_all(joined) == [expected], translate_pattern(regex.pattern)
    assert matcher.scan(0, joined) == expected


def test_a_checkout_without_its_native_module_uses_the_installed_one(tmp_path):
    """`pip install .` puts cleaner._engine in site-packages only; Python started at the checkout's root
    imports the checkout's package: it finds the installed module instead of failing."""
    import shutil
    import subprocess
    import sys

    checkout, site = tmp_path / "checkout", tmp_path / "site"
    shutil.copytree(ROOT / "cleaner", checkout / "cleaner", symlinks=False,
                    ignore=shutil.ignore_patterns("_engine*", "__pycache__"))
    built = next((ROOT / "cleaner").glob("_engine*"))
    (site / "cleaner").mkdir(parents=True)
    shutil.copy(built, site / "cleaner" / built.name)
    # This checkout's own folder (an editable install puts it on sys.path) is left out: only `site` has it.
    program = (f"import sys; sys.path[:] = [p for p in sys.path if p not in ('', {str(ROOT)!r})]; import cleaner; "
               "print(cleaner.clean('A line of the article.\\nShare on Facebook\\n').text, end='')")
    run = subprocess.run([sys.executable, "-c", program], cwd=checkout, capture_output=True, text=True,
                         env={"PYTHONPATH": f"{checkout}:{site}", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert run.stdout == "A line of the article.\n"
    # Without any built module: a message that says what to do, not a circular-import puzzle.
    shutil.rmtree(site)
    run = subprocess.run([sys.executable, "-c", program], cwd=checkout, capture_output=True, text=True,
                         env={"PYTHONPATH": str(checkout), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1 and "native module is not built" in run.stderr and "pip install -e ." in run.stderr
