"""A batch killed with kill -9 at random moments, the parent or a worker, then run again: the outputs are
those of a run never interrupted, each with exactly one report record that describes it, no temporary
file is left and no process of the runs lives on."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.output import digest_of_file
from conftest import FIXTURES, processes_mentioning

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to find the run's processes")

FILES = 2000


def _make_inputs(folder: Path) -> None:
    pages = sorted((FIXTURES / "seeds" / "raw").glob("*.txt")) + sorted((FIXTURES / "families" / "raw").glob("*.txt"))
    texts = [page.read_text(encoding="utf-8") for page in pages]
    for number in range(FILES):
        sub = folder / f"part{number % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"page{number:04}.txt").write_text(texts[number % len(texts)] + f"\nPage number {number}.\n", encoding="utf-8")


def _command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "cleaner", "clean", str(folder), "--out", str(out), "--jobs", "2"]


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.name != "report.jsonl"}


def test_kill_9_at_random_moments_then_a_rerun_gives_an_uninterrupted_run_s_result(tmp_path):
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    folder = tmp_path / "in"
    _make_inputs(folder)
    reference = tmp_path / "reference"
    started = time.monotonic()
    done = subprocess.run(_command(folder, reference), capture_output=True, timeout=600)
    # The kills fall within a share of an uninterrupted run's time, whatever this machine's speed: the
    # first two rounds are then always cut short (each run resumes what the last left, and the second
    # round, killed by 0.45 of a whole run, has more than half of one left to do).
    whole = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    expected = _outputs(reference)
    assert len(expected) == FILES

    out = tmp_path / "out-chaos"
    interrupted = 0
    for round_ in range(6):
        run = subprocess.Popen(_command(folder, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.1, 0.35) * whole)
        workers = [pid for pid in processes_mentioning(str(out)) if pid != run.pid]
        if round_ % 2 and workers:
            os.kill(chance.choice(workers), signal.SIGKILL)  # a worker: the run goes on without it
            time.sleep(chance.uniform(0.02, 0.1) * whole)
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
            interrupted += 1
        run.wait()
    assert interrupted >= 2, f"the runs ended before they could be killed (seed {seed})"
    deadline = time.monotonic() + 10
    while processes_mentioning(str(out)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not processes_mentioning(str(out)), f"processes of killed runs live on (seed {seed})"

    done = subprocess.run(_command(folder, out), capture_output=True, timeout=600)
    assert done.returncode == 0, (seed, done.stderr)
    assert _outputs(out) == expected, f"outputs differ from an uninterrupted run's (seed {seed})"
    records = [json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    by_output: dict[str, list[dict]] = {}
    for record in records:
        by_output.setdefault(record["output"], []).append(record)
    assert len(records) == FILES and len(by_output) == FILES, f"seed {seed}"
    reference_records = {
        r["source"]: r for r in map(json.loads, (reference / "report.jsonl").read_text(encoding="utf-8").splitlines())
    }
    for output, (record,) in by_output.items():
        assert record["output_digest"] == digest_of_file(Path(output)), f"{output} (seed {seed})"
        theirs = reference_records[record["source"]]
        assert (record["status"], record["removals"]) == (theirs["status"], theirs["removals"]), f"seed {seed}"
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert leftovers == [], f"temporary files left (seed {seed})"
    assert not processes_mentioning(str(out))
