"""`cleaner clean ... --audit FILE.html`: one self-contained page showing every removal of the batch."""
from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()
CHROMIUM = shutil.which("chromium") or (Path("/usr/bin/chromium").exists() and "/usr/bin/chromium") or None

RULES = """\
rules:
  - id: promo-line
    description: Newsletter promo
    reason: newsletter promo
    kind: phrase
    phrases: [Sign up for our newsletter, "Sign up <now> & save \\"20%\\"! <script>alert(1)</script>"]
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

ARTICLE = (
    "Council approves the new harbour wall\n\n"
    "The council voted on Tuesday to rebuild the harbour wall, which was damaged in the storms last winter.\n\n"
    "Work will start in the spring and should take about a year, the harbour master said after the vote.\n"
)


def page(extra_junk: str = "Sign up for our newsletter") -> str:
    head, rest = ARTICLE.split("\n\n", 1)
    return f"Home | News | Sport\n\n{head}\n\n{extra_junk}\n\n{rest}\n© 2024 Example Ltd.\nPrivacy policy\n"


class _Page(HTMLParser):
    """The <del> elements (rule, text), the rule table rows, and every tag and attribute seen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dels: list[list[str]] = []
        self.rows: dict[str, list[str]] = {}
        self.tags: Counter = Counter()
        self.attrs: list[tuple[str, str, str]] = []
        self._in_del = 0
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        attrs = dict(attrs)
        self.attrs += [(tag, k, v or "") for k, v in attrs.items()]
        if tag == "del":
            self._in_del += 1
            self.dels.append([attrs["data-rule"], ""])
        if tag == "tr" and "rule" in (attrs.get("class") or "").split():
            self._row = attrs["data-rule"]
            self.rows[self._row] = []
        if tag == "td" and self._row:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "del":
            self._in_del -= 1
        if tag == "td" and self._row and self._cell is not None:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._in_del:
            self.dels[-1][1] += data
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture()
def batch(tmp_path):
    """A small batch: site pages, an unchanged page, a failed file, JSONL records, HTML, hostile text."""
    inputs = tmp_path / "in"
    (inputs / "example.com").mkdir(parents=True)
    (inputs / "example.com" / "a.txt").write_text(page(), encoding="utf-8")
    (inputs / "example.com" / "b.md").write_text(page("Sign up for our newsletter"), encoding="utf-8")
    hostile = page('Sign up <now> & save "20%"! <script>alert(1)</script>').replace(
        "harbour master", "harbour master <b>&amp; co</b> </pre><script>alert(2)</script>"
    )
    (inputs / "c.txt").write_text(hostile, encoding="utf-8")
    (inputs / "unchanged.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "broken.txt.gz").write_bytes(b"not gzip at all")
    records = [
        {"id": 1, "url": "https://www.example.com/one", "text": page()},
        {"id": 2, "url": "https://other.org/two", "text": ARTICLE},
        {"id": 3, "url": "https://other.org/three", "text": page()},
    ]
    (inputs / "crawl.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
    (inputs / "page.html").write_text(
        f"<html><body><article><h1>Council approves the new harbour wall</h1>{paragraphs}"
        "<p>Sign up for our newsletter</p></article></body></html>",
        encoding="utf-8",
    )
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    out, audit = tmp_path / "out", tmp_path / "audit.html"
    # Only these rules: the page is about what the batch removed, whatever the shipped pack holds today.
    command = ["clean", str(inputs), "--out", str(out), "--rules", str(rules), "--no-default-rules", "--audit", str(audit)]
    result = runner.invoke(app, [*command, "--jobs", "1"])
    assert result.exit_code == 1, result.output  # broken.txt.gz failed, the batch went on
    report = [json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    return audit, report


def test_every_removal_of_the_batch_is_on_the_page(batch):
    audit, report = batch
    parsed = _Page()
    parsed.feed(audit.read_text(encoding="utf-8"))
    expected = Counter((r["rule"], r["text"]) for record in report for r in record["removals"])
    assert sum(expected.values()) >= 14 and {"promo-line", "footer-block", "site-menu"} <= {k[0] for k in expected}
    assert Counter(tuple(d) for d in parsed.dels) == expected


def test_stdin_audit_shows_the_removals_in_the_text(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    audit = tmp_path / "audit.html"
    text = "Harbour reopens\n\nThe harbour reopened on Monday after months of repairs.\n\nSign up for our newsletter\n"
    result = runner.invoke(app, ["clean", "-", "--rules", str(rules), "--no-default-rules", "--audit", str(audit)],
                           input=text)
    assert result.exit_code == 0, result.output
    parsed = _Page()
    parsed.feed(audit.read_text(encoding="utf-8"))
    assert [tuple(d) for d in parsed.dels] == [("promo-line", "Sign up for our newsletter")]


def test_stdin_html_audit_shows_the_removals_in_the_extracted_text(tmp_path):
    """For a page read from stdin the offsets refer to the extracted text, which the audit extracts
    again: the removal is shown in its place, not listed apart as "the source text no longer matches"."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    audit = tmp_path / "audit.html"
    page = ("<html><body><article><h1>Harbour reopens</h1>"
            "<p>The harbour reopened on Monday after months of repairs, and the first ferries sailed at dawn.</p>"
            "<p>Sign up for our newsletter</p>"
            "<p>Fishermen said the new quay was wider and safer than the one the storm had destroyed.</p>"
            "</article></body></html>")
    result = runner.invoke(app, ["clean", "-", "--format", "html", "--rules", str(rules), "--no-default-rules",
                                 "--audit", str(audit)], input=page)
    assert result.exit_code == 0, result.output
    assert "Sign up" not in result.stdout and "first ferries" in result.stdout
    content = audit.read_text(encoding="utf-8")
    assert "no longer matches" not in content
    parsed = _Page()
    parsed.feed(content)
    assert [tuple(d) for d in parsed.dels] == [("promo-line", "Sign up for our newsletter")]
    assert '<pre class="text">' in content and "first ferries" in content


def test_rule_table_counts_hits_and_documents(batch):
    audit, report = batch
    parsed = _Page()
    parsed.feed(audit.read_text(encoding="utf-8"))
    hits = Counter(r["rule"] for record in report for r in record["removals"])
    docs = Counter(rule for record in report for rule in {r["rule"] for r in record["removals"]})
    assert set(parsed.rows) == set(hits)
    for rule, cells in parsed.rows.items():
        assert cells[0] == rule and cells[2] == str(hits[rule]) and cells[3] == str(docs[rule]), cells
    assert "Home | News | Sport ×" in parsed.rows["site-menu"][5]  # most frequent removed strings


def test_page_is_self_contained_and_escapes_all_text(batch):
    audit, report = batch
    text = audit.read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(text)
    assert parsed.tags["script"] == 1 and parsed.tags["style"] == 1  # ours only: the page's text stayed text
    assert parsed.tags["b"] == 0 and parsed.tags["pre"] == sum(1 for r in report if r["removals"] and r["status"] != "failed")
    # No network: links go to the page's own documents and to the rule files on this machine only.
    assert not [a for a in parsed.attrs if a[1] == "src"]
    assert all(a[2].startswith(("#doc-", "file:///")) for a in parsed.attrs if a[1] == "href")
    assert "<link" not in text and "@import" not in text and "url(" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;/pre&gt;&lt;script&gt;alert(2)" in text
    assert "&amp;amp; co" in text  # the text's own entity shown as written


def test_failed_and_unchanged_documents_are_listed(batch):
    audit, _ = batch
    text = audit.read_text(encoding="utf-8")
    assert re.search(r"broken\.txt\.gz: failed: bad gzip data", text)
    assert "unchanged.txt" in text and "crawl.jsonl.gz #2" in text


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_page_renders_in_headless_chromium(batch, tmp_path):
    audit, report = batch
    flags = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600",
    ]
    shot = tmp_path / "audit.png"
    subprocess.run([*flags, f"--screenshot={shot}", audit.as_uri()], capture_output=True, timeout=180, check=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a rendered page, not a blank one
    # The DOM after the page's script ran: it counted every highlighted removal.
    dom = subprocess.run([*flags, "--dump-dom", audit.as_uri()], capture_output=True, timeout=180, text=True).stdout
    removals = sum(len(record["removals"]) for record in report)
    assert f'data-ready="{removals}"' in dom


def _chromium(tmp_path, url: str, screenshot: Path | None = None) -> str:
    flags = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600",
    ]
    if screenshot is not None:
        subprocess.run([*flags, f"--screenshot={screenshot}", url], capture_output=True, timeout=180, check=False)
    return subprocess.run([*flags, "--dump-dom", url], capture_output=True, timeout=180, text=True).stdout


def _body(dom: str) -> dict:
    tag = re.search(r"<body([^>]*)>", dom).group(1)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_search_rule_filter_and_marking_a_removal_wrong_in_headless_chromium(batch, tmp_path):
    """The page's state comes from its address (#q=, #rule=, #wrong=), as a reviewer's shared link would
    give it: each is what typing in the search box, picking a rule and clicking removals do."""
    audit, _ = batch
    page_html = audit.read_text(encoding="utf-8")
    shots = Path(__import__("os").environ.get("AUDIT_SHOTS", tmp_path))

    # Search finds a removed string and moves to it.
    dom = _chromium(tmp_path, audit.as_uri() + "#q=save", shots / "audit-search.png")
    body = _body(dom)
    assert int(body["data-hits"]) >= 1
    hit = re.search(rf'<del id="{body["data-current"]}" class="([^"]*)"[^>]*>([^<]*)', dom)
    assert "hit" in hit.group(1).split() and "save" in hit.group(2)

    # The rule filter moves to the rule's first removal, in its first document.
    first = re.search(r'<del id="(rm-\d+-\d+)" class="r-footer-block"', page_html).group(1)
    dom = _chromium(tmp_path, audit.as_uri() + "#rule=footer-block", shots / "audit-rule.png")
    assert _body(dom)["data-current"] == first
    first_doc = re.search(rf'<section class="doc[^"]*" id="(doc-\d+)"[^>]*>(?:(?!</section>).)*id="{first}"', dom, re.S)
    assert first_doc and "match" in re.search(rf'<section class="([^"]*)" id="{first_doc.group(1)}"', dom).group(1)

    # Marking a removal wrong produces the export: what to disable, or the keep example for its file.
    promo = re.search(r'<del id="(rm-\d+-\d+)" class="r-promo-line"[^>]*>([^<]*)</del>', page_html)
    dom = _chromium(tmp_path, audit.as_uri() + f"#wrong={promo.group(1)}", shots / "audit-wrong.png")
    assert _body(dom)["data-wrong"] == "1"
    export = html.unescape(re.search(r'<textarea id="export"[^>]*>(.*?)</textarea>', dom, re.S).group(1))
    assert "--disable promo-line" in export and "- id: promo-line" in export and "keep:" in export
    assert json.dumps(html.unescape(promo.group(2))) in export
    assert f"{(tmp_path / 'rules.yaml')}:" in export  # the rule's file and line
