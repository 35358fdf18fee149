"""Peak memory of whole runs on hostile inputs, against a run on ordinary pages: the per-document cap
(--max-bytes) bounds it, whatever a file unpacks to.

    python -m bench.memory_bounds            # builds the inputs in a temporary folder (about 30 MB on disk)
    python -m bench.memory_bounds --jobs 1 --max-bytes 32M

The inputs: a gzip of 4 GB of zeros (about 4 MB on disk), 100 MB of text in a gzip, a .jsonl.gz with one
300 MB line between two ordinary records, a .jsonl.gz of 60,000 records (their report records wait on
disk, spool.py), and three seed pages beside each. Each run is a fresh
`cleaner clean` process; the figure is the largest resident set of any of its processes (the parent or
a worker: getrusage's RUSAGE_CHILDREN of a process that ran only that command).
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "fixtures" / "seeds" / "raw").glob("*.txt"))[:3]

_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(peak, done.returncode)\n"
)


def peak_rss_mb(args: list[str]) -> tuple[float, int, float]:
    """(peak RSS in MB of any process of the run, its exit code, seconds)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "cleaner", *args],
                          capture_output=True, text=True, check=True)
    peak, code = done.stdout.split()
    return int(peak) / 1024, int(code), time.monotonic() - started


def build(folder: Path) -> dict[str, Path]:
    cases = {}
    ordinary = folder / "ordinary"
    ordinary.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, ordinary / seed.name)
    cases["ordinary pages"] = ordinary

    def case(name: str, file_name: str, write) -> None:
        where = folder / name.replace(" ", "-")
        shutil.copytree(ordinary, where)
        with gzip.open(where / file_name, "wb", compresslevel=6) as out:
            write(out)
        cases[name] = where

    def zeros(out, size=4 << 30):
        block = b"\0" * (16 << 20)
        for _ in range(size // len(block)):
            out.write(block)

    def text(out, size=100 << 20):
        block = (b"The council met again on Tuesday evening to talk about the harbour plan. " * 14_000)[: 1 << 20]
        for _ in range(size // len(block)):
            out.write(block)

    def long_line(out, size=300 << 20):
        out.write(json.dumps({"id": "before", "text": SEEDS[0].read_text()}).encode() + b"\n")
        out.write(b'{"id": "huge", "text": "')
        block = b"word " * (1 << 18)
        for _ in range(size // len(block)):
            out.write(block)
        out.write(b'"}\n')
        out.write(json.dumps({"id": "after", "text": SEEDS[1].read_text()}).encode() + b"\n")

    def many_records(out, count=60_000):
        texts = [seed.read_text() for seed in SEEDS]
        for number in range(count):
            out.write(json.dumps({"id": number, "text": texts[number % len(texts)] + f"\nRecord {number}."}).encode() + b"\n")

    case("4 GB gzip of zeros", "bomb.txt.gz", zeros)
    case("100 MB of text in a gzip", "text.txt.gz", text)
    case("300 MB JSONL line", "crawl.jsonl.gz", long_line)
    case("60,000 JSONL records", "many.jsonl.gz", many_records)
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", action="append", type=int, help="--jobs to run with (repeatable) [1 and 2]")
    parser.add_argument("--max-bytes", default=None, help="passed to cleaner clean [its default]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        started = time.monotonic()
        cases = build(root)
        sizes = {name: sum(p.stat().st_size for p in where.iterdir()) for name, where in cases.items()}
        print(f"inputs built in {time.monotonic() - started:.0f} s")
        print(f"{'input':<28} {'on disk':>9} {'jobs':>4} {'peak RSS':>9} {'exit':>4} {'seconds':>7}  records")
        for name, where in cases.items():
            for jobs in args.jobs or [1, 2]:
                out = root / f"out-{where.name}-{jobs}"
                cap = ["--max-bytes", args.max_bytes] if args.max_bytes else []
                peak, code, seconds = peak_rss_mb(["clean", str(where), "--out", str(out), "--jobs", str(jobs), *cap])
                records = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
                statuses = {}
                for record in records:
                    statuses[record["status"]] = statuses.get(record["status"], 0) + 1
                print(f"{name:<28} {sizes[name] / 1e6:>7.1f}MB {jobs:>4} {peak:>7.0f}MB {code:>4} {seconds:>7.1f}  {statuses}")
                shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
