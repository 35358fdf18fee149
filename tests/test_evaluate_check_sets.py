"""bench/evaluate.py on check sets: aggregate figures only, never a check page's name, text or score.

A small benchmark folder is made here (two dev pages, two check pages whose names and texts are marked),
and the report and its JSON must hold the check set's aggregate row but nothing of its pages.
"""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

ARTICLE = "The council approved the harbour plan on Monday after a long debate about its cost."
JUNK = "Share on Facebook"


def _bench_set(folder: Path, stems: list[str]) -> None:
    for mode in ("text-raw", "text-trafilatura"):
        (folder / mode).mkdir(parents=True)
    (folder / "html").mkdir()
    truth = {}
    for stem in stems:
        text = f"{JUNK}\n\n{ARTICLE} {stem}.\n"
        for mode in ("text-raw", "text-trafilatura"):
            (folder / mode / f"{stem}.txt").write_text(text, encoding="utf-8")
        page = f"<html><body><article><p>{ARTICLE} {stem}.</p></article></body></html>"
        (folder / "html" / f"{stem}.html.gz").write_bytes(gzip.compress(page.encode()))
        truth[f"{stem}.html.gz"] = {"articleBody": f"{ARTICLE} {stem}.", "url": f"https://example.com/{stem}"}
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")


def test_check_sets_are_reported_in_aggregate_only(tmp_path):
    bench = tmp_path / "benchmarks"
    _bench_set(bench / "scrapinghub", ["devpage1", "devpage2"])
    _bench_set(bench / "check" / "modern-2025", ["secretcheckpage1", "secretcheckpage2"])
    report = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.evaluate", "--bench-dir", str(bench), "--bench", "scrapinghub",
         "--bench", "check/modern-2025", "--only", "cleaner,unchanged", "--mode", "text-raw", "--jobs", "1",
         "--json", str(report), "--out-dir", str(tmp_path / "kept")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| text-raw | cleaner")]
    assert len(rows) == 1 and rows[0].count("|") == 10  # input, tool, P R F1 of each set, ms/page
    assert "| scrapinghub P | R | F1 | check/modern-2025 P | R | F1 |" in done.stdout
    everything = done.stdout + done.stderr + report.read_text() + "".join(
        p.read_text() for p in (tmp_path / "kept").rglob("*") if p.is_file())
    assert "devpage1" in everything  # dev pages may be named
    assert "secretcheckpage" not in everything
    assert not list((tmp_path / "kept").rglob("*modern-2025*"))
