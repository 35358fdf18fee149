"""Guardrails: a document the rules nearly emptied is `guarded`, never passed on silently."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cleaner import clean, load_rules
from cleaner.cli import app
from cleaner.document import words
from cleaner.document import Document
from cleaner.engine import render
from cleaner.guardrail import DEFAULT_MIN_SHARE, DEFAULT_MIN_WORDS, Guardrail
from cleaner.model import Removal
from cleaner.ruleset import RuleSet, build_rule
from conftest import FIXTURES

runner = CliRunner()
BENCHMARKS = Path("/work/shared/benchmarks")

ARTICLE = (FIXTURES / "untouched" / "06_school-chess-final.txt").read_text(encoding="utf-8")

# What an extractor returns for a page whose only "article" is its consent banner.
COOKIE_PAGE = """\
We value your privacy

We and our partners use cookies and similar technologies to store and access information on your device, to personalise content and ads, to provide social media features and to analyse our traffic. You can accept all cookies, reject them, or choose which ones you allow in the settings.

By clicking "Accept all", you agree to the storing of cookies on your device to enhance site navigation, analyse site usage and assist in our marketing efforts.

Accept all
Reject all
Manage preferences
"""

COOKIE_PAGE_WITH_TITLE = """\
Council approves new harbour plan

This website uses cookies to ensure you get the best experience on our website. We use cookies to personalise content and ads, to provide social media features and to analyse our traffic, and we share information about your use of our site with our partners.

Accept
Decline
Cookie settings
"""

OVER_BROAD = """\
id: everything-long
description: A user's rule that meant to catch one banner and matches every sentence
kind: line
pattern: '.{20,}'
max_chars: 5000
"""


@pytest.fixture()
def over_broad_rules(tmp_path):
    path = tmp_path / "over-broad.yaml"
    path.write_text(OVER_BROAD, encoding="utf-8")
    return load_rules([path])


def test_an_article_emptied_by_an_over_broad_rule_is_guarded(over_broad_rules):
    result = clean(ARTICLE, rules=over_broad_rules)
    assert result.status == "guarded"
    assert "everything-long" in result.guard
    assert len(words(result.text)) < DEFAULT_MIN_WORDS
    # flag mode: the removals are applied and reported as usual
    assert result.removals and result.text != render(Document(ARTICLE), [])


@pytest.mark.parametrize("page", [COOKIE_PAGE, COOKIE_PAGE_WITH_TITLE], ids=["banner-only", "title-and-banner"])
def test_a_cookie_banner_article_is_guarded_with_the_shipped_pack(page):
    result = clean(page)
    assert result.status == "guarded", (result.text, [r.rule for r in result.removals])
    assert "cookie-consent" in result.guard


def test_keep_mode_keeps_the_document_whole(over_broad_rules):
    result = clean(ARTICLE, rules=over_broad_rules, guardrail=Guardrail(mode="keep"))
    assert result.status == "guarded"
    assert result.removals == []
    assert result.text == render(Document(ARTICLE), [])
    assert result.guard.startswith("kept whole: ")
    assert words(result.text) == words(ARTICLE)


def test_keep_mode_writes_the_page_as_it_came():
    """Kept whole means untouched: its BOM, \r\n line endings and trailing blank lines too."""
    page = "\ufeff" + COOKIE_PAGE.replace("\n", "\r\n") + "\r\n\r\n\r\n"
    result = clean(page, guardrail=Guardrail(mode="keep"))
    assert result.status == "guarded"
    assert result.text == page
    assert clean(result.text, guardrail=Guardrail(mode="keep")).text == result.text


def test_both_conditions_are_needed():
    """Many words removed but plenty left (a whole page with a short article) is not guarded; nor is a
    short document that keeps most of its words."""
    rules_text = "id: drop-menu\ndescription: d\nkind: line\npattern: 'menu item \\d+'\n"
    menu = "\n".join(f"Menu item {i}" for i in range(400))
    article = " ".join(["Sentence words here."] * 6)  # 18 words left out of ~1200
    rules = RuleSet((build_rule(yaml.safe_load(rules_text), "t.yaml"),), "t")
    result = clean(f"{menu}\n\n{article}\n", rules=rules)
    assert len(words(result.text)) == 18 and len(words(result.text)) / 1218 < DEFAULT_MIN_SHARE
    assert result.status == "cleaned"
    short = clean("Menu item 1\nTwo words\n", rules=rules)
    assert short.status == "cleaned", "3 of 5 words removed, 2 left: a share of 40% is no alarm"


def test_thresholds_and_zero_turns_off(over_broad_rules):
    assert clean(ARTICLE, rules=over_broad_rules, guardrail=Guardrail(min_words=0)).status == "cleaned"
    assert clean(ARTICLE, rules=over_broad_rules, guardrail=Guardrail(min_share=0)).status == "cleaned"
    emptied = clean("Only this line will be removed by the rule\n", rules=over_broad_rules)
    assert emptied.status == "guarded"


def test_boundaries_are_strict():
    removed = [Removal(rule="r", file="f", start=0, end=1, line=1, text="x y", reason="")]
    guard = Guardrail(min_share=0.5, min_words=3)
    assert guard.verdict("a b c d e f g", "a b c", removed) is None  # 3 left: not fewer than 3
    assert guard.verdict("a b c d e f", "a b", removed) is not None  # 2 of 6 left, fewer than 3
    assert guard.verdict("a b c d", "a b", removed) is None  # 2 of 4 left: the share, not below it
    assert guard.verdict("a b c d", "a", []) is None  # nothing removed


def test_nothing_removed_is_never_guarded():
    assert clean("").status == "unchanged"
    assert clean("Hi.\n").status == "unchanged"


@pytest.mark.parametrize(
    "kwargs", [dict(mode="drop"), dict(min_share=1.5), dict(min_share=-0.1), dict(min_words=-1), dict(min_words=True)]
)
def test_bad_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        Guardrail(**kwargs)


def _fixture_texts():
    paths = sorted(FIXTURES.glob("*/raw/*.txt")) + sorted(FIXTURES.glob("untouched/*.txt"))
    return [pytest.param(p, id=f"{p.parent.parent.name}/{p.name}") for p in paths]


@pytest.mark.parametrize("path", _fixture_texts())
def test_no_fixture_is_guarded(path, shipped_rules):
    result = clean(path.read_text(encoding="utf-8"), rules=shipped_rules)
    assert result.status != "guarded", result.guard


def _benchmark_texts():
    return sorted(BENCHMARKS.glob("*/text-raw/*.txt")) + sorted(BENCHMARKS.glob("*/text-trafilatura/*.txt"))


@pytest.mark.skipif(not BENCHMARKS.is_dir(), reason="the shared benchmarks are not on this machine")
def test_no_benchmark_page_is_guarded(shipped_rules):
    """Whole-page text (junk often most of the page) and extracted text: the defaults flag neither."""
    guarded = []
    for path in _benchmark_texts():
        result = clean(path.read_text(encoding="utf-8"), rules=shipped_rules)
        if result.status == "guarded":
            guarded.append(f"{path}: {result.guard}")
    assert guarded == []


@pytest.mark.skipif(not BENCHMARKS.is_dir(), reason="the shared benchmarks are not on this machine")
def test_defaults_pass_a_perfect_cleaning_of_whole_pages():
    """The measurement behind the defaults: reducing each whole page (text-raw) to its extracted
    article (text-trafilatura) would keep as little as 3% of a page; none of it may be guarded."""
    guard = Guardrail()
    flagged = []
    for raw in sorted(BENCHMARKS.glob("*/text-raw/*.txt")):
        extracted = raw.parent.parent / "text-trafilatura" / raw.name
        if not extracted.exists():
            continue
        article = extracted.read_text(encoding="utf-8")
        if not words(article):
            continue  # the extractor found nothing: no article to measure
        verdict = guard.verdict(raw.read_text(encoding="utf-8"), article, ["removed"])
        if verdict:
            flagged.append(f"{raw}: {verdict}")
    assert flagged == []


def test_cli_reports_guarded_and_counts_it(tmp_path, over_broad_rules):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "cookies.txt").write_text(COOKIE_PAGE, encoding="utf-8")
    (folder / "short.txt").write_text("A short note.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(folder), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output  # guarded is not a failure
    records = {Path(r["source"]).name: r for r in map(json.loads, (out / "report.jsonl").read_text().splitlines())}
    assert records["cookies.txt"]["status"] == "guarded"
    assert "cookie-consent" in records["cookies.txt"]["guard"]
    assert records["cookies.txt"]["removals"]
    assert records["article.txt"]["status"] == "unchanged" and "guard" not in records["article.txt"]
    assert "1 guarded" in result.stderr.splitlines()[0]
    assert len(words((out / "cookies.txt").read_text())) < DEFAULT_MIN_WORDS


def test_cli_keep_writes_the_document_whole(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cookies.txt").write_text(COOKIE_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(folder), "--out", str(out), "--guardrail", "keep", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "cookies.txt").read_text(encoding="utf-8") == COOKIE_PAGE
    record = json.loads((out / "report.jsonl").read_text())
    assert record["status"] == "guarded" and record["removals"] == []
    assert record["guard"].startswith("kept whole: ")


def test_cli_thresholds(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cookies.txt").write_text(COOKIE_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(folder), "--out", str(out), "--guard-min-words", "0", "--jobs", "1"])
    assert result.exit_code == 0
    assert json.loads((out / "report.jsonl").read_text())["status"] == "cleaned"
    bad = runner.invoke(app, ["clean", str(folder), "--out", str(out), "--guardrail", "drop"])
    assert bad.exit_code == 2 and "--guardrail" in bad.stderr and "'flag', 'keep'" in bad.stderr
    bad = runner.invoke(app, ["clean", str(folder), "--out", str(out), "--guard-min-share", "2"])
    assert bad.exit_code == 2


def test_cli_stdin_guarded(tmp_path):
    result = runner.invoke(app, ["clean", "-", "--report", "-", "--guardrail", "keep"], input=COOKIE_PAGE)
    assert result.exit_code == 0
    assert result.stdout == COOKIE_PAGE
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["status"] == "guarded" and record["guard"].startswith("kept whole")


def test_jsonl_records_are_guarded_one_by_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [{"id": "a", "text": COOKIE_PAGE}, {"id": "b", "text": ARTICLE}]
    (folder / "pages.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(folder), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    assert [(r["id"], r["status"]) for r in records] == [("a", "guarded"), ("b", "unchanged")]
