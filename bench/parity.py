"""Issue 22's parity harness: the same cleaning with the rule regexes matched two ways, on every
benchmark page (dev and check), all three inputs (whole-page text, trafilatura's text, HTML).

    .venv/bin/python -m bench.parity [--limit N]

- `rust`: the engine as it runs, the line regexes answered by the Rust engine (cleaner._engine);
- `re2`: the same engine with the Rust answers switched off, every regex scanned by RE2 as before.

Prints, per set and input, how many pages gave the same output and the same removals (rule, start,
end, text, reason) and how many did not: counts only, never a page (the check sets' rule). A
difference is investigated on dev pages and fixtures, never on check pages.
"""
from __future__ import annotations

import argparse
import gzip
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
SETS = ["trafilatura-eval", "scrapinghub", "check/modern-2025", "check/readability"]
INPUTS = ["text-raw", "text-trafilatura", "html"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="pages per set and input (0: all)")
    args = parser.parse_args(argv)

    import cleaner
    from cleaner import matching
    from cleaner.decode import decode_bytes
    from cleaner.html import clean_html

    rules = cleaner.load_rules([])
    answers = matching._DocLines.answers

    def clean_both(path: Path, html: bool):
        data = gzip.decompress(path.read_bytes()) if html else path.read_bytes()
        run = (lambda: clean_html(data, rules=rules)) if html else (lambda: cleaner.clean(decode_bytes(data), rules=rules))
        rust = run()
        matching._DocLines.answers = property(lambda self: None)
        try:
            re2 = run()
        finally:
            matching._DocLines.answers = answers
        return rust, re2

    def key(result):
        return result.text, [(r.rule, r.start, r.end, r.text, r.reason) for r in result.removals], result.status

    print("| set | input | pages | same | different |\n| --- | --- | ---: | ---: | ---: |")
    total_different = 0
    for name in SETS:
        for input_name in INPUTS:
            files = sorted((BENCHMARKS / name / input_name).glob("*.html.gz" if input_name == "html" else "*.txt"))
            if args.limit:
                files = files[: args.limit]
            same = different = 0
            for path in files:
                rust, re2 = clean_both(path, input_name == "html")
                if key(rust) == key(re2):
                    same += 1
                else:
                    different += 1
            total_different += different
            print(f"| {name} | {input_name} | {len(files)} | {same} | {different} |")
    raise SystemExit(1 if total_different else 0)


if __name__ == "__main__":
    main()
