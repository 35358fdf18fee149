"""`cleaner explain FILE`: the removals of one document, in place, marked by rule."""
from __future__ import annotations

import gzip
import json
import re

from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.engine import clean
from cleaner.explain import explain
from cleaner.ruleset import load_rules

runner = CliRunner()

RULES = """\
rules:
  - id: promo-line
    description: Newsletter promo
    reason: newsletter promo
    kind: phrase
    phrases: [Sign up for our newsletter]
    examples: {remove: [Sign up for our newsletter], keep: [Nothing]}
  - id: footer-block
    description: Footer
    reason: site footer
    kind: block
    start: '© \\d+ Example Ltd\\.?'
    end: 'Privacy policy'
    examples: {remove: ["© 2024 Example Ltd.\\nPrivacy policy"], keep: [Nothing]}
  - id: site-menu
    description: The menu of example.com
    reason: site menu
    kind: phrase
    sites: [example.com]
    phrases: [Home | News | Sport]
    examples: {remove: [Home | News | Sport], keep: [Nothing]}
"""

ARTICLE = [
    "Council approves the new harbour wall",
    "The council voted on Tuesday to rebuild the harbour wall, which was damaged in the storms last winter.",
    "Work will start in the spring and should take about a year, the harbour master said after the vote.",
]
PAGE = (
    f"Home | News | Sport\n\n{ARTICLE[0]}\n\n{ARTICLE[1]}\n\nSign up for our newsletter\n\n{ARTICLE[2]}\n\n"
    "© 2024 Example Ltd.\nPrivacy policy\n"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _rules(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return path


def test_plain_markers_when_stdout_is_not_a_terminal(tmp_path):
    page = tmp_path / "example.com" / "page.txt"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["explain", str(page), "--rules", str(_rules(tmp_path)), "--no-default-rules"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\x1b[" not in out
    assert "[-Sign up for our newsletter-]{promo-line}" in out
    assert "[-© 2024 Example Ltd.\nPrivacy policy-]{footer-block}" in out
    assert "[-Home | News | Sport-]{site-menu}" in out  # the site comes from the folder name
    for line in ARTICLE:
        assert f"\n{line}\n" in out
    assert "-- 3 removals" in out
    assert "promo-line x1: newsletter promo" in out


def test_site_scoped_rules_need_the_site(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    rules = _rules(tmp_path)
    plain = runner.invoke(app, ["explain", str(page), "--rules", str(rules), "--no-default-rules"])
    assert "{site-menu}" not in plain.output and "Home | News | Sport\n" in plain.output
    given = runner.invoke(app, ["explain", str(page), "--rules", str(rules), "--no-default-rules", "--site", "www.example.com"])
    assert "[-Home | News | Sport-]{site-menu}" in given.output


def test_colours_strike_through_and_rule_id_beside_each_removal(tmp_path):
    rules = load_rules([_rules(tmp_path)], defaults=False)
    result = clean(PAGE, rules=rules, site="example.com")
    out = explain(PAGE, result, colour=True)
    assert ANSI.sub("", out).count("[promo-line]") == 1
    # Each removed line struck through, in its rule's colour; the id follows in the same colour.
    struck = re.findall(r"\x1b\[(\d+)m\x1b\[9m(.*?)\x1b\[0m", out)
    assert ("Sign up for our newsletter" in [text for _, text in struck])
    by_text = {text: code for code, text in struck}
    assert by_text["© 2024 Example Ltd."] == by_text["Privacy policy"]  # one removal, one colour
    assert len({by_text["Home | News | Sport"], by_text["Sign up for our newsletter"], by_text["Privacy policy"]}) == 3
    assert re.search(r"\x1b\[2m\x1b\[" + by_text["Privacy policy"] + r"m\[footer-block\]", out)
    # Without the codes, the text reads as the document plus the ids.
    assert ANSI.sub("", out).startswith("Home | News | Sport [site-menu]\n\n" + ARTICLE[0])


def test_jsonl_records_each_explained_with_their_site(tmp_path):
    path = tmp_path / "crawl.jsonl.gz"
    records = [
        {"id": "a1", "url": "https://www.example.com/x", "text": PAGE},
        {"id": "b2", "url": "https://other.org/y", "text": PAGE},
    ]
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    result = runner.invoke(app, ["explain", str(path), "--rules", str(_rules(tmp_path)), "--no-default-rules"])
    assert result.exit_code == 0, result.output
    first, second = result.output.split("== record b2")
    assert first.startswith("== record a1 (example.com)") and "{site-menu}" in first
    assert "{site-menu}" not in second and "{promo-line}" in second


def test_html_is_explained_on_its_extracted_text(tmp_path):
    page = tmp_path / "page.html"
    body = "".join(f"<p>{line}</p>" for line in [ARTICLE[1], "Sign up for our newsletter", ARTICLE[2]])
    page.write_text(f"<html><body><article><h1>{ARTICLE[0]}</h1>{body}</article></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(page), "--rules", str(_rules(tmp_path)), "--no-default-rules"])
    assert result.exit_code == 0, result.output
    assert "[-Sign up for our newsletter-]{promo-line}" in result.output
    assert ARTICLE[1] in result.output


def test_explain_errors_are_one_line(tmp_path):
    missing = runner.invoke(app, ["explain", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and missing.output.startswith("Error: ")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    result = runner.invoke(app, ["explain", str(binary)])
    assert result.exit_code == 2 and result.output.startswith("Error: ") and "Traceback" not in result.output
