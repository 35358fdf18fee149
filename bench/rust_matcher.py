"""The rule regexes on RE2 against the Rust line matcher (cleaner._engine), in one process, on the
benchmark page texts:

    .venv/bin/python -m bench.rust_matcher [--pages 300] [--repeats 3] [--long]

- `RE2, every regex`: each shipped line regex scans each document's joined lines on RE2, as
  cleaner/matching.py does for a regex outside the matcher (no prefilter);
- `Rust, every regex, one regex at a time`: `LineMatcher.scan`, each regex on its own;
- `Rust, scan_all`: every regex in one call, each tried only on the lines that hold one of its literal
  atoms (found by one aho-corasick scan of the folded text), the prefilter included: what the engine
  runs.

Issue 22 moves the engine to Rust piece by piece; this tells whether a change to the matcher is faster.
"""
from __future__ import annotations

import argparse
import time

from bench.throughput import source_texts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--long", action="store_true", help="also: cost per MB of one line of 50 KB, 1 MB and 20 MB")
    args = parser.parse_args(argv)

    import cleaner
    from cleaner import matching
    from cleaner._engine import JoinedLines, LineMatcher
    from cleaner.document import Document

    texts = [data.decode("utf-8", "replace") for data in source_texts()][: args.pages]
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    rules = cleaner.load_rules([])
    regexes = {}
    for rule in rules.rules:
        for regex, mode in rule.line_regexes():
            regexes.setdefault((regex.pattern, mode == matching.FULL), (regex, mode))
    keys = sorted(regexes)
    rust = LineMatcher(keys)
    docs = [Document(text) for text in texts]
    for doc in docs:
        matching.attach(doc, None)  # no matcher: _scan is RE2's
    joined = [JoinedLines(doc._matching.joined) for doc in docs]

    def re2_every():
        for doc in docs:
            for regex, mode in regexes.values():
                matching._scan(doc._matching, regex, mode)

    def rust_every():
        for lines in joined:
            for position in range(len(keys)):
                rust.scan(position, lines)

    def rust_all():
        for lines in joined:
            rust.scan_all(lines)

    print(f"{len(docs)} pages, {megabytes:.1f} MB, {len(keys)} regexes ({rust.unfiltered()} without atoms), "
          f"best of {args.repeats}, process CPU s/MB")
    print("| how | s/MB |\n| --- | ---: |")
    for name, run in (("RE2, every regex", re2_every), ("Rust, every regex, one regex at a time", rust_every),
                      ("Rust, scan_all", rust_all)):
        best = float("inf")
        for _ in range(args.repeats):
            started = time.process_time()
            run()
            best = min(best, time.process_time() - started)
        print(f"| {name} | {best / megabytes:.3f} |")
    if args.long:
        # No input may cost more than linear time: the same words as one line of growing length.
        words = " ".join(" ".join(text.split()) for text in texts)
        print("\n| one line of | scan_all s/MB |\n| --- | ---: |")
        for size in (50_000, 1_000_000, 20_000_000):
            line = (words * (size // len(words) + 1))[:size]
            lines = JoinedLines(line)
            started = time.process_time()
            rust.scan_all(lines)
            print(f"| {size:,} characters | {(time.process_time() - started) / (len(line.encode()) / 1e6):.3f} |")


if __name__ == "__main__":
    main()
