"""`cleaner learn`: repeated lines and blocks of one site become reviewable, site-scoped rules."""
from __future__ import annotations

import json
import random
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.learn import Options, Source, iter_sources, learn

runner = CliRunner()
SITE = "harbourgazette.co.uk"

HEADER = ["Harbour Gazette", "Home | News | Sport | Culture | Opinion | Weather"]
PROMO = "Enjoying this story? Sign up for the Harbour Gazette morning briefing, free every weekday."
FOOTER = ["© 2024 Harbour Gazette Ltd. All rights reserved.", "Privacy policy · Terms of use · Contact the newsroom"]
QUOTE = (
    '"We will not let the harbour die," the mayor told the council, to long applause from the public '
    "gallery."
)

_WHO = [
    "The harbour master", "A group of fishermen", "The county council", "Local shop owners", "The ferry company",
    "Volunteers from the lifeboat station", "The new head teacher", "Two marine biologists", "The town's oldest baker",
    "Residents of the old quarter", "A regional bus operator", "The museum's curator", "Parents at the primary school",
    "The rowing club", "An engineering firm from Leeds", "The water board",
]
_DID = [
    "presented a plan for", "raised money to restore", "complained about the cost of", "voted to extend",
    "published a study on", "asked the government to pay for", "celebrated the reopening of", "warned of delays to",
    "began a survey of", "proposed changes to", "opened a consultation on", "finished the first phase of",
]
_WHAT = [
    "the north pier", "the seafront promenade", "the winter timetable", "the fish market roof", "the coastal path",
    "the old lighthouse", "the town library", "flood defences near the estuary", "the cycle route to the station",
    "the school kitchens", "the allotments behind the church", "the marina car park", "the lifeboat slipway",
    "the night bus service",
]
_WHEN = [
    "on Monday", "last week", "at a packed meeting on Thursday", "earlier this month", "after a long delay",
    "in a letter to residents", "during the summer festival", "before the spring tides", "at the annual fair",
]
_WHY = [
    "saying that the work could not wait another winter",
    "after a report found serious damage to the foundations",
    "because visitor numbers have doubled since the pandemic",
    "although several councillors doubted the estimates",
    "with support from a national heritage fund",
    "while critics said the money should go to housing",
    "in the hope of attracting more families to the town",
    "despite objections from a residents' association",
]


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(_WHO)} {rng.choice(_DID)} {rng.choice(_WHAT)} {rng.choice(_WHEN)}, {rng.choice(_WHY)}."


def make_page(number: int) -> tuple[str, list[str]]:
    """One page of the site and its article lines (title, byline, paragraphs)."""
    rng = random.Random(number)
    title = f"{rng.choice(_WHO)} {rng.choice(_DID)} {rng.choice(_WHAT)} (story {number})"
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(4, 7))]
    if number in (3, 17, 29):  # a sentence quoted on a few pages is article text, not site junk
        paragraphs.insert(1, QUOTE)
    article = [title, *paragraphs]
    body = [title, "", paragraphs[0], "", paragraphs[1], "", PROMO, ""]
    body += [p for paragraph in paragraphs[2:] for p in (paragraph, "")]
    page = [*HEADER, "", *body, *FOOTER]
    return "\n".join(page) + "\n", article


def write_site(root: Path, pages: int = 40) -> dict[Path, list[str]]:
    articles = {}
    for number in range(1, pages + 1):
        text, article = make_page(number)
        path = root / SITE / "2024" / f"story-{number:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        articles[Path(SITE) / "2024" / path.name] = article
    return articles


def test_forty_pages_learned_rules_remove_header_footer_promo_and_no_article_line(tmp_path):
    pages = tmp_path / "pages"
    articles = write_site(pages)
    learned = tmp_path / "learned.yaml"
    result = runner.invoke(app, ["learn", str(pages), "--out", str(learned)])
    assert result.exit_code == 0, result.output

    spec = yaml.safe_load(learned.read_text(encoding="utf-8"))
    rules = spec["rules"]
    assert rules, learned.read_text()
    assert all(rule["sites"] == [SITE] for rule in rules)
    assert all(rule["examples"]["remove"] and rule["examples"]["keep"] for rule in rules)
    proposed = json.dumps(rules, ensure_ascii=False)
    assert "mayor told the council" not in proposed  # quoted on 3 of 40 pages: not proposed

    # The learned file checks like any rule file.
    checked = runner.invoke(app, ["rules", "test", "--rules", str(learned), "--no-default-rules"])
    assert checked.exit_code == 0, checked.output

    out = tmp_path / "out"
    cleaned = runner.invoke(app, ["clean", str(pages), "--out", str(out), "--rules", str(learned), "--jobs", "1"])
    assert cleaned.exit_code == 0, cleaned.output
    for relative, article in articles.items():
        lines = (out / relative).read_text(encoding="utf-8").splitlines()
        for junk in (*HEADER, PROMO, *FOOTER):
            assert junk not in lines, (relative, junk)
        for line in article:
            assert line in lines, (relative, line)


def test_learned_rules_are_scoped_to_their_site(tmp_path):
    pages = tmp_path / "pages"
    write_site(pages)
    learned = tmp_path / "learned.yaml"
    assert runner.invoke(app, ["learn", str(pages), "--out", str(learned)]).exit_code == 0
    other = tmp_path / "other" / "another-site.org" / "page.txt"
    other.parent.mkdir(parents=True)
    text, _ = make_page(7)
    other.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    cleaned = runner.invoke(app, ["clean", str(tmp_path / "other"), "--out", str(out), "--rules", str(learned),
                                  "--no-default-rules", "--jobs", "1"])
    assert cleaned.exit_code == 0, cleaned.output
    assert (out / "another-site.org" / "page.txt").read_text(encoding="utf-8") == text


def test_thresholds_are_options(tmp_path):
    pages = tmp_path / "pages"
    write_site(pages, pages=40)
    sources = list(iter_sources([pages]))
    assert len(sources) == 40 and {s.site for s in sources} == {SITE}
    default = learn(sources)
    texts = [rule.spec["examples"]["remove"][0] for rule in default]
    assert not any("mayor told the council" in t for t in texts)
    # With a low enough share, the quote on 3 of 40 pages is proposed: the threshold is what keeps it out.
    loose = learn(sources, Options(min_docs=3, min_share=0.05))
    assert any("mayor told the council" in rule.spec["examples"]["remove"][0] for rule in loose)
    # Fewer documents than min_docs: nothing learned.
    assert learn(sources[:4]) == []


def test_numbers_that_vary_make_a_line_rule_and_runs_a_block():
    sources = []
    for number in range(1, 13):
        text, _ = make_page(number)
        stamp = f"Updated {number} March 2024, {10 + number}:0{number % 10}"
        lines = text.split("\n")
        lines.insert(4, stamp)  # after the title: a line of its own, not part of the header run
        sources.append(Source(Path(f"p{number}.txt"), "\n".join(lines), "example.org"))
    by_kind = {}
    for rule in learn(sources):
        by_kind.setdefault(rule.spec["kind"], []).append(rule.spec)
    assert any(spec["pattern"].startswith("Updated \\d+ March") for spec in by_kind["line"]), by_kind
    blocks = by_kind["block"]
    assert any(spec["examples"]["remove"][0] == "\n".join(FOOTER) for spec in blocks), blocks


def test_site_from_jsonl_url_field(tmp_path):
    path = tmp_path / "crawl.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number in range(1, 11):
            text, _ = make_page(number)
            host = "www.harbourgazette.co.uk" if number <= 8 else "elsewhere.net"
            handle.write(json.dumps({"id": f"r{number}", "url": f"https://{host}/story/{number}", "text": text}) + "\n")
    learned = tmp_path / "learned.yaml"
    result = runner.invoke(app, ["learn", str(path), "--out", str(learned), "--min-docs", "3"])
    assert result.exit_code == 0, result.output
    text = learned.read_text(encoding="utf-8")
    rules = yaml.safe_load(text)["rules"]
    assert rules and all(rule["sites"] == [SITE] for rule in rules)  # elsewhere.net has 2 pages: too few
    assert f"{path}#r1" in text  # example documents name the record


def test_learn_errors_are_one_line(tmp_path):
    result = runner.invoke(app, ["learn", str(tmp_path / "missing"), "--out", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
