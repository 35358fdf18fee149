"""Acceptance: the five seed pages give exactly the gold lines, by every entry point, fully accounted."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cleaner
from conftest import FIXTURES, fixture_pairs, nonempty_lines, word_counts

SEEDS = fixture_pairs("seeds")


def test_there_are_five_seeds():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("raw,expected", SEEDS, ids=[r.name for r, _ in SEEDS])
def test_api_gives_the_gold_lines(raw, expected):
    result = cleaner.clean(raw.read_text(encoding="utf-8"))
    assert nonempty_lines(result.text) == nonempty_lines(expected.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(FIXTURES / "seeds" / "raw"), "--out", str(out), "--jobs", "1"],
        capture_output=True,
        text=True,
    )
    return proc, out


def test_folder_run_exits_zero_with_a_summary(folder_run):
    proc, _ = folder_run
    assert proc.returncode == 0, proc.stderr
    assert "5 documents: 4 cleaned, 1 unchanged" in proc.stderr


@pytest.mark.parametrize("raw,expected", SEEDS, ids=[r.name for r, _ in SEEDS])
def test_folder_run_gives_the_gold_lines(folder_run, raw, expected):
    _, out = folder_run
    assert nonempty_lines((out / raw.name).read_text(encoding="utf-8")) == nonempty_lines(expected.read_text(encoding="utf-8"))


@pytest.mark.parametrize("raw,expected", SEEDS, ids=[r.name for r, _ in SEEDS])
def test_stdin_gives_the_gold_lines(raw, expected):
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "-"], input=raw.read_bytes(), capture_output=True
    )
    assert proc.returncode == 0, proc.stderr
    assert nonempty_lines(proc.stdout.decode("utf-8")) == nonempty_lines(expected.read_text(encoding="utf-8"))


def _report(out):
    return {json.loads(line)["source"].rsplit("/", 1)[-1]: json.loads(line) for line in (out / "report.jsonl").open()}


@pytest.mark.parametrize("raw,expected", SEEDS, ids=[r.name for r, _ in SEEDS])
def test_every_removed_line_is_in_the_report(folder_run, raw, expected):
    """Each input line missing from the gold output lies inside a reported removal, whose offsets
    point at exactly its text."""
    _, out = folder_run
    record = _report(out)[raw.name]
    text = raw.read_text(encoding="utf-8")
    kept = set(nonempty_lines(expected.read_text(encoding="utf-8")))
    removals = record["removals"]
    for removal in removals:
        assert text[removal["start"]:removal["end"]] == removal["text"]
        assert removal["rule"] and removal["file"].startswith("rules/") and removal["reason"]
        assert text.count("\n", 0, removal["start"]) + 1 == removal["line"]
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and stripped not in kept:
            start = offset + line.index(stripped)
            assert any(r["start"] <= start and start + len(stripped) <= r["end"] for r in removals), stripped
        offset += len(line)
    assert record["status"] == ("cleaned" if removals else "unchanged")
    assert record["chars_in"] == len(text)
    assert record["rules_hash"]


@pytest.mark.parametrize("raw,expected", SEEDS, ids=[r.name for r, _ in SEEDS])
def test_words_in_equal_words_out_plus_words_removed(raw, expected):
    text = raw.read_text(encoding="utf-8")
    result = cleaner.clean(text)
    removed = sum((word_counts(r.text) for r in result.removals), start=word_counts(""))
    assert word_counts(text) == word_counts(result.text) + removed
