"""The rule regexes on RE2 (cleaner/matching.py) against the Rust line matcher (cleaner._engine), in one
process, on the benchmark page texts:

    .venv/bin/python -m bench.rust_matcher [--pages 300] [--repeats 3]

- `every regex`: each shipped line regex scans each document, no prefilter;
- `prefilter's candidates`: only the regexes RE2's FilteredRE2 prefilter leaves for the document (what
  the engine runs); the prefilter's own cost is outside both figures;
- `scan_all`: every regex in one call, each tried only on the lines that hold one of its literal atoms
  (found by one aho-corasick scan of the folded text), its prefilter included.

Issue 22 moves matching to Rust when it is faster; this tells whether a change to the Rust side is.
"""
from __future__ import annotations

import argparse
import time

from bench.throughput import source_texts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
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
    re2_matcher = matching.matcher_for(rules.for_site(None))
    docs = [Document(text) for text in texts]
    for doc in docs:
        matching.attach(doc, re2_matcher)
    joined = [JoinedLines(doc._matching.joined) for doc in docs]
    candidates = []
    for doc in docs:
        allowed = doc._matching.candidates
        candidates.append([i for i, key in enumerate(keys)
                           if allowed is None or re2_matcher.lookup(*regexes[key])[0] in allowed])

    def re2_scan(which):
        for doc, positions in zip(docs, which):
            for position in positions:
                regex, mode = regexes[keys[position]]
                matching._scan(doc._matching, regex, mode)

    def rust_scan(which):
        for lines, positions in zip(joined, which):
            for position in positions:
                rust.scan(position, lines)

    every = [range(len(keys))] * len(docs)
    print(f"{len(docs)} pages, {megabytes:.1f} MB, {len(keys)} regexes, best of {args.repeats}, process CPU s/MB")
    print("| regexes scanned | RE2 | Rust |\n| --- | ---: | ---: |")
    for name, which in (("every regex", every), ("prefilter's candidates", candidates)):
        times = []
        for scan in (re2_scan, rust_scan):
            best = float("inf")
            for _ in range(args.repeats):
                started = time.process_time()
                scan(which)
                best = min(best, time.process_time() - started)
            times.append(best / megabytes)
        print(f"| {name} | {times[0]:.3f} | {times[1]:.3f} |")
    best = float("inf")
    for _ in range(args.repeats):
        started = time.process_time()
        for doc in docs:
            rust.scan_all(JoinedLines(doc._matching.joined))
        best = min(best, time.process_time() - started)
    print(f"| every regex, Rust's atoms prefilter (`scan_all`, {rust.unfiltered()} regexes without atoms) | | {best / megabytes:.3f} |")


if __name__ == "__main__":
    main()
