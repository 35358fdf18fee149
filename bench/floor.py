"""Where cleaning's time goes against the C4 line filter's, in one process, stage by stage.

    .venv/bin/python -m bench.floor [--repeats 5]

On the benchmark page texts (text-raw and text-trafilatura, no gold standard), the best of --repeats runs
in process CPU time per MB:

- `C4QualityFilter lines`: the peer of bench/throughput.py (bench/tools.py's c4_lines);
- `split lines and words`: str.split into lines and words, nothing else: the least any Python line
  filter does;
- `Document()`: cleaner's first stage, the lines with their offsets and features;
- `line regexes`: every rule regex on every line, one call to the Rust engine per document (its literal
  prefilter included);
- `clean()`: everything.

Issue 5 asks `cleaner --jobs 1` to take at most half the C4 filter's time as whole processes; this shows
each stage's share of that budget without the processes' start-up and file system costs.
"""
from __future__ import annotations

import argparse
import time

from bench.throughput import source_texts


def best_seconds(step, texts: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for text in texts:
            step(text)
        best = min(best, time.process_time() - started)
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    import cleaner
    from bench.tools import c4_lines
    from cleaner.document import Document
    from cleaner.matching import attach, matcher_for

    pages = source_texts()
    texts = [data.decode("utf-8", "replace") for data in pages]
    megabytes = sum(len(data) for data in pages) / 1e6
    rules = cleaner.load_rules([])
    active = rules.for_site(None)
    matcher = matcher_for(active)

    def line_regexes(text: str) -> None:  # what the engine does before any rule runs
        doc = Document(text)
        attach(doc, matcher)
        doc._matching.answers

    stages = {
        "C4QualityFilter lines": c4_lines,
        "split lines and words": lambda text: [line.split() for line in text.split("\n")],
        "Document()": lambda text: Document(text),
        "line regexes (with Document())": line_regexes,
        "clean()": lambda text: cleaner.clean(text, rules=rules),
    }
    for step in stages.values():  # warm: imports, compiled rules, RE2's lazily built automata
        best_seconds(step, texts[:100], 1)
    costs = {name: best_seconds(step, texts, args.repeats) / megabytes for name, step in stages.items()}
    c4 = costs["C4QualityFilter lines"]
    print(f"{len(texts)} texts, {megabytes:.1f} MB, best of {args.repeats}, process CPU time")
    print("| stage | s/MB | × C4 |\n| --- | ---: | ---: |")
    for name, cost in costs.items():
        print(f"| {name} | {cost:.3f} | {cost / c4:.2f} |")
    print(f"budget for all of clean() at 2x the C4 filter's speed: {c4 / 2:.3f} s/MB")


if __name__ == "__main__":
    main()
