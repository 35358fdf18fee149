"""Throughput of `cleaner clean` as whole processes, against datatrove's C4QualityFilter line filter.

    .venv/bin/python bench/throughput.py [--mb 56] [--repeats 3] [--skip-speed] [--skip-sizes] [--skip-memory]

Builds a corpus in a temporary folder (never in the repository) by replicating the benchmark pages
(../shared/benchmarks/*/text-raw and text-trafilatura) until it holds at least --mb megabytes, then:

1. cleaner --jobs 1, cleaner --jobs 2, the C4 line filter (one process reading every file, filtering
   its lines as bench/tools.py does, writing an output per file) and the same process copying each file
   unfiltered (what reading and writing the files costs in this run), alternating, --repeats times each:
   median wall time, MB/s, docs/s, and the CPU time (user + system) of all the run's processes, which a
   shared machine's changing load moves less than wall time;
2. cost per MB for documents of 1 KB, 100 KB, 1 MB and 20 MB (the same text, concatenated or cut), in
   wall and CPU time, the sizes alternating within each of the --repeats rounds;
3. peak memory (max RSS of any process of the run) for 1,000 and for 20,000 files of 1 KB.

Only page texts are used, never the gold standards.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
PYTHON = sys.executable
# No per-document time limit here: a 20 MB document may take longer than the default 30 s, and a
# document that timed out would be timed as a failure, not cleaned.
CLEANER = [PYTHON, "-m", "cleaner"]
NO_LIMIT = ["--timeout", "0"]


def source_texts() -> list[bytes]:
    files = sorted(BENCHMARKS.glob("*/text-raw/*.txt")) + sorted(BENCHMARKS.glob("*/text-trafilatura/*.txt"))
    if not files:
        sys.exit(f"no benchmark texts under {BENCHMARKS}")
    return [f.read_bytes() for f in files]


def build_corpus(folder: Path, texts: list[bytes], megabytes: float) -> tuple[int, int]:
    total, count, copy = 0, 0, 0
    while total < megabytes * 1e6:
        sub = folder / f"copy{copy:02}"
        sub.mkdir(parents=True)
        for number, data in enumerate(texts):
            (sub / f"{number:05}.txt").write_bytes(data)
            total += len(data)
            count += 1
        copy += 1
    return total, count


def sized_corpus(folder: Path, texts: list[bytes], size: int, total: int) -> int:
    """Documents of `size` bytes (cut at a line break) adding up to about `total` bytes."""
    stream = b"\n\n".join(texts)
    while len(stream) < max(size, total):
        stream += b"\n\n" + stream
    folder.mkdir(parents=True)
    count, offset = 0, 0
    while count * size < total:
        piece = stream[offset:offset + size]
        cut = piece.rfind(b"\n")
        piece = piece[: cut + 1] if cut > size // 2 else piece
        piece = piece.decode("utf-8", "ignore").encode("utf-8")
        (folder / f"{count:06}.txt").write_bytes(piece)
        offset = (offset + len(piece)) % max(len(stream) - size, 1)
        count += 1
    return count


# CPU seconds (user + system) of every finished child process so far: on a shared machine whose other
# load comes and goes, a single process's CPU time moves less than its wall time.
def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, list[float]] = {}  # command label -> CPU seconds of each run


def timed(command: list[str], label: str | None = None) -> float:
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if label:
        CPU.setdefault(label, []).append(_children_cpu() - cpu)
    if done.returncode != 0:  # a failed document makes the figure meaningless: say so, loudly
        print(f"  WARNING: exit {done.returncode}: {' '.join(command[2:4])}: {done.stderr.strip()[-300:]}")
    return seconds


def peak_rss_mb(command: list[str]) -> float:
    """Max RSS of any process of the command (the child wrapper reports its own children)."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


def c4_command(corpus: Path, out: Path) -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "c4", str(corpus), str(out)]


def copy_command(corpus: Path, out: Path) -> list[str]:
    return [PYTHON, str(Path(__file__).resolve()), "copy", str(corpus), str(out)]


def rewrite_files(corpus: Path, out: Path, transform) -> None:
    """Read every file of the corpus, write transform(its text) to the same place under `out`."""
    for path in sorted(corpus.rglob("*.txt")):
        target = out / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(transform(path.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")


def run_c4(corpus: Path, out: Path) -> None:
    """The competitor as a whole process: read, filter lines (bench/tools.py's c4_lines), write."""
    sys.path.insert(0, str(ROOT))
    from bench.tools import c4_lines

    rewrite_files(corpus, out, c4_lines)


def run_copy(corpus: Path, out: Path) -> None:
    """run_c4's process without the filter: what reading and writing the files costs, on this disk, now."""
    rewrite_files(corpus, out, lambda text: text)


def speed(work: Path, texts: list[bytes], args) -> None:
    """Part 1: cleaner --jobs 1 and 2 against the C4 line filter on the replicated corpus."""
    corpus = work / "corpus"
    size, docs = build_corpus(corpus, texts, args.mb)
    print(f"corpus: {docs} files, {size / 1e6:.1f} MB, {os.cpu_count()} cores, {args.repeats} runs each (median)")
    runs = {
        "cleaner --jobs 1": lambda out: CLEANER + ["clean", str(corpus), "--out", str(out), "--jobs", "1", *NO_LIMIT],
        "cleaner --jobs 2": lambda out: CLEANER + ["clean", str(corpus), "--out", str(out), "--jobs", "2", *NO_LIMIT],
        "C4QualityFilter lines": lambda out: c4_command(corpus, out),
        "copy, no filter": lambda out: copy_command(corpus, out),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for repeat in range(args.repeats):
        for name, command in runs.items():  # alternating: load drifts hit every tool alike
            out = work / f"out-{repeat}-{len(times[name])}-{name.split()[-1]}"
            times[name].append(timed(command(out), name))
            shutil.rmtree(out, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, seconds in medians.items():
        print(f"  {name:<24} {seconds:7.2f} s  {size / 1e6 / seconds:6.2f} MB/s  {docs / seconds:7.0f} docs/s"
              f"  (runs: {', '.join(f'{t:.2f}' for t in times[name])})")
    c4, one, two = medians["C4QualityFilter lines"], medians["cleaner --jobs 1"], medians["cleaner --jobs 2"]
    print(f"  C4 / cleaner --jobs 1: {c4 / one:.2f}x (target >= 2)   jobs 1 / jobs 2: {one / two:.2f}x (target >= 1.6)")
    print(f"  C4 / copy (reading and writing the files, no filter): {c4 / medians['copy, no filter']:.2f}x")
    cpu = {name: statistics.median(CPU[name]) for name in runs}
    print(f"  CPU time (user + system, all processes): "
          + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in cpu.items())
          + f"; C4 / cleaner --jobs 1: {cpu['C4QualityFilter lines'] / cpu['cleaner --jobs 1']:.2f}x")
    shutil.rmtree(corpus)


SIZES = (("1 KB", 1_000), ("100 KB", 100_000), ("1 MB", 1_000_000), ("20 MB", 20_000_000))


def sizes(work: Path, texts: list[bytes], args) -> None:
    """Part 2: cost per MB by document size. The sizes alternate within each repeat, as the tools of
    part 1 do: run one after the other, a drift in the machine's speed fell on one size and moved the
    max/min ratio with it."""
    print("cost per MB by document size (cleaner --jobs 1, ~20 MB per size, sizes alternating):")
    folders, counts, mbs = {}, {}, {}
    for label, doc_size in SIZES:
        folders[label] = work / f"size-{doc_size}"
        counts[label] = sized_corpus(folders[label], texts, doc_size, 20_000_000)
        mbs[label] = sum(p.stat().st_size for p in folders[label].iterdir()) / 1e6
    times: dict[str, list[float]] = {label: [] for label, _ in SIZES}
    for repeat in range(args.repeats):
        for label, doc_size in SIZES:
            out = work / f"o{doc_size}-{repeat}"
            times[label].append(timed(CLEANER + ["clean", str(folders[label]), "--out", str(out), "--jobs", "1",
                                                 *NO_LIMIT], label))
            shutil.rmtree(out, ignore_errors=True)
    costs, cpu_costs = {}, {}
    for label, _ in SIZES:
        seconds, mb = statistics.median(times[label]), mbs[label]
        costs[label] = seconds / mb
        cpu_costs[label] = statistics.median(CPU[label]) / mb
        print(f"  {label:>6}: {counts[label]:6} files {mb:5.1f} MB  {seconds:6.2f} s  {seconds / mb * 1000:6.1f} ms/MB"
              f"  (CPU {cpu_costs[label] * 1000:6.1f} ms/MB; runs: {', '.join(f'{t:.2f}' for t in times[label])})")
        shutil.rmtree(folders[label])
    print(f"  max/min cost per MB: {max(costs.values()) / min(costs.values()):.2f}x (target <= 1.5); "
          f"in CPU time {max(cpu_costs.values()) / min(cpu_costs.values()):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=56.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-speed", action="store_true", help="skip part 1 (the corpus timings)")
    parser.add_argument("--skip-sizes", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    texts = source_texts()
    work = Path(tempfile.mkdtemp(prefix="cleaner-throughput-"))
    try:
        if not args.skip_speed:
            speed(work, texts, args)
        if not args.skip_sizes:
            sizes(work, texts, args)

        if not args.skip_memory:
            print("peak memory (max RSS of a process, cleaner --jobs 2, 1 KB files):")
            peaks = {}
            for count in (1_000, 20_000):
                folder = work / f"files-{count}"
                sized_corpus(folder, texts, 1_000, count * 1_000)
                peaks[count] = peak_rss_mb(CLEANER + ["clean", str(folder), "--out", str(work / f"m{count}"), "--jobs", "2"])
                print(f"  {count:6} files: {peaks[count]:6.1f} MB")
                shutil.rmtree(folder)
            print(f"  20,000 / 1,000: {peaks[20_000] / peaks[1_000]:.2f}x (target <= 1.2)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "c4":
        run_c4(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "copy":
        run_copy(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
