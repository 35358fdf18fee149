"""Report records as workers send them: a JSON line and a summary digest, counted as the records were."""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from cleaner import report
from cleaner.digest import digest_of, fold
from cleaner.report import ReportRecord, Summary


def removal(rule: str, text: str, start: int = 0, file: str = "rules/x.yaml") -> dict:
    return {"rule": rule, "file": file, "start": start, "end": start + len(text), "line": 1, "text": text, "reason": "r"}


def record(source: str, removals: list[dict], status: str = "cleaned", **extra) -> dict:
    return {"source": source, "output": source + ".out", "status": status, **extra, "chars_in": 100,
            "chars_out": 100 - sum(r["end"] - r["start"] for r in removals), "rules_hash": "h", "removals": removals}


def one_by_one(records: list[dict]) -> Summary:
    """The summary counted removal by removal, as before digests: the reference."""
    summary = Summary()
    for rec in records:
        summary.statuses[rec["status"]] += 1
        summary.chars_in += rec["chars_in"]
        summary.chars_out += rec["chars_out"]
        for rule in {r["rule"] for r in rec["removals"]}:
            summary.docs_by_rule[rule] += 1
        for r in rec["removals"]:
            summary.removals_by_rule[r["rule"]] += 1
            summary.chars_by_rule[r["rule"]] += max(0, r["end"] - r["start"])
            summary.file_by_rule.setdefault(r["rule"], r["file"])
            texts = summary.texts_by_rule.setdefault(r["rule"], report.Counter())
            key = fold(r["text"])
            if key in texts or len(texts) < report.TEXTS_PER_RULE:
                texts[key] += 1
        where = rec["source"] + (f" (record {rec['id']})" if "id" in rec else "")
        if rec["status"] in ("failed", "skipped") and len(summary.failures) < report.LISTED_DOCUMENTS:
            summary.failures.append((where, rec.get("error", "")))
        elif rec["status"] == "guarded" and len(summary.guarded) < report.LISTED_DOCUMENTS:
            summary.guarded.append((where, rec.get("guard", "")))
    return summary


def test_digests_count_exactly_as_removals_one_by_one_even_at_the_cap(monkeypatch):
    monkeypatch.setattr(report, "TEXTS_PER_RULE", 3)  # the cap is reached inside a record
    records = [
        record("a.txt", [removal("menu", "Home 1"), removal("menu", "Home 2"), removal("ad", "Anzeige"),
                         removal("menu", "News"), removal("menu", "Sport"), removal("menu", "News"), removal("menu", "Home 3")]),
        record("b.txt", [removal("ad", "Anzeige"), removal("menu", "Sport"), removal("menu", "Weather"),
                         removal("sel", "", start=-1, file="rules/html.yaml")]),
        record("c.txt", [], status="failed", error="broken"),
        record("d.jsonl", [removal("ad", "Ad  9")], status="guarded", guard="1 of 40 words left", id=7),
    ]
    merged = Summary()
    for rec in records:
        merged.merge(ReportRecord(rec).digest)
    expected = one_by_one(records)
    assert merged == expected
    assert merged.render() == expected.render()
    assert dict(merged.texts_by_rule["menu"]) == {"Home #": 3, "News": 2, "Sport": 2}  # Weather came too late
    assert merged.guarded == [("d.jsonl (record 7)", "1 of 40 words left")]


def test_a_report_record_pickles_as_its_line_and_digest_only():
    rec = record("a.txt", [removal("menu", "Startseite ünd Menü")])
    sent = pickle.loads(pickle.dumps(ReportRecord(rec)))
    assert sent._record is None  # the removals travel once, inside the line
    assert sent.line == json.dumps(rec, ensure_ascii=False)
    assert sent.record == rec
    assert sent.digest == digest_of(rec)


def test_stdin_and_a_file_get_the_same_record_from_the_one_builder(tmp_path):
    """stdin's report record is built as the batch builds a file's: the same keys in the same order and
    the same values but for source and output."""
    import subprocess
    import sys

    page = "Harbour wall to be rebuilt\n\nShare on Facebook\n\nThe council voted on Tuesday to rebuild the wall.\n"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(page, encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "cleaner", "clean", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "-j", "1"],
                   cwd=root, check=True, capture_output=True)
    from_file = json.loads((tmp_path / "out" / "report.jsonl").read_text(encoding="utf-8"))
    subprocess.run([sys.executable, "-m", "cleaner", "clean", "-", "--report", str(tmp_path / "stdin.jsonl")],
                   cwd=root, input=page.encode(), check=True, capture_output=True)
    from_stdin = json.loads((tmp_path / "stdin.jsonl").read_text(encoding="utf-8"))
    for record in (from_file, from_stdin):
        record.pop("source"), record.pop("output"), record.pop("output_digest", None)
    assert list(from_stdin) == list(from_file) and from_stdin == from_file


@pytest.mark.parametrize("text", [
    "plain ascii", "Ünïcode", "a\x85b", "a\u2028b", "a\u2029b", "a\x1cb\x1dc\x1ed", "ok \ud800 lone", "é\ud83d\ude00 pair halves",
])
def test_a_record_line_is_one_line_of_utf8_whatever_the_removed_text(text):
    line = ReportRecord(record("a.txt", [removal("r", text)])).line
    assert line.splitlines() == [line]  # no reader splits the record
    line.encode("utf-8")  # raises on a surrogate left raw
    back = json.loads(line)["removals"][0]["text"]
    surrogates = any("\ud800" <= c <= "\udfff" for c in text)
    assert (back == text) is not surrogates  # a surrogate comes back shown as text (\\ud800), the rest as it was


def test_a_long_text_folds_from_its_start_as_the_whole_text_would():
    """fold() folds a prefix of a long text first; its result is the whole text's fold, cut."""
    import random

    def whole(text: str, limit: int = 120) -> str:
        folded = re.sub(r"[0-9]+", "#", " ".join(text.split()))
        return folded if len(folded) <= limit else folded[: limit - 1] + "…"

    generator = random.Random(18)
    pieces = ["word", "Wörter", "12", "3", " ", "  ", "\n", "\t\u3000", "\u00a0", "x9y", "", "·"]
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.choice([5, 60, 200, 400])))
        for limit in (1, 8, 120):
            assert fold(text, limit) == whole(text, limit), (text, limit)
    assert fold("Share 12 " * 300) == whole("Share 12 " * 300) and fold("Share 12 " * 300).endswith("…")
    assert fold(" " * 1000 + "Home 1") == "Home #"  # a prefix of white space only: the whole text
