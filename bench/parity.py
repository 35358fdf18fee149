"""Issue 22's parity harness: the same cleaning done two ways, on every benchmark page (dev and check),
all three inputs (whole-page text, trafilatura's text, HTML).

    .venv/bin/python -m bench.parity [--limit N]              # Rust matching against RE2 matching
    .venv/bin/python -m bench.parity --against HEAD [--limit N]   # this tree against a commit

- default: the engine as it runs, the line regexes answered by the Rust engine (cleaner._engine),
  against the same engine with the Rust answers switched off, every regex scanned by RE2;
- `--against REV`: this tree's engine against the engine at git revision REV (its package and native
  module built in a temporary folder, run in a subprocess): what a step of the port to Rust must not
  change.

Prints, per set and input, how many pages gave the same output and the same removals (rule, start,
end, line, text, reason), status and guard, and how many did not: counts only, never a page (the check
sets' rule; the --against run hands its answers over as digests in a temporary file). A difference is
investigated on dev pages and fixtures, never on check pages. Exits 1 when any page differs.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO.parent / "shared" / "benchmarks"
SETS = ["trafilatura-eval", "scrapinghub", "check/modern-2025", "check/readability"]
INPUTS = ["text-raw", "text-trafilatura", "html"]


def pages(limit: int):
    """(set, input, files) for every set and input, in a fixed order."""
    for name in SETS:
        for input_name in INPUTS:
            files = sorted((BENCHMARKS / name / input_name).glob("*.html.gz" if input_name == "html" else "*.txt"))
            yield name, input_name, files[:limit] if limit else files


def key(result) -> tuple:
    return (result.text, [(r.rule, r.start, r.end, r.line, r.text, r.reason) for r in result.removals],
            result.status, result.guard)


def digest(result) -> str:
    return hashlib.sha256(repr(key(result)).encode("utf-8", "surrogatepass")).hexdigest()


def cleaner_run():
    """A function cleaning one page file with the imported cleaner's default rules."""
    import cleaner
    from cleaner.decode import decode_bytes
    from cleaner.html import clean_html

    rules = cleaner.load_rules([])

    def run(path: Path):
        if path.name.endswith(".html.gz"):
            return clean_html(gzip.decompress(path.read_bytes()), rules=rules)
        return cleaner.clean(decode_bytes(path.read_bytes()), rules=rules)

    return run


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="pages per set and input (0: all)")
    parser.add_argument("--against", metavar="REV", help="compare with the engine at this git revision")
    parser.add_argument("--digests", type=Path, help=argparse.SUPPRESS)  # --against's run: where its digests go
    parser.add_argument("--cleaner-path", type=Path, help=argparse.SUPPRESS)  # --against's run: its package
    args = parser.parse_args(argv)

    if args.cleaner_path:  # before anything imports cleaner
        sys.path.insert(0, str(args.cleaner_path))
    if args.digests:
        run = cleaner_run()
        found = {f"{name}|{input_name}": [digest(run(path)) for path in files]
                 for name, input_name, files in pages(args.limit)}
        args.digests.write_text(json.dumps(found))
        return

    if args.against:
        from bench.revision import package_at

        with tempfile.TemporaryDirectory(prefix="bench-parity-") as tmp:
            tree = package_at(args.against, Path(tmp))
            digests = Path(tmp) / "digests.json"
            command = [sys.executable, "-m", "bench.parity", "--cleaner-path", str(tree), "--digests", str(digests),
                       "--limit", str(args.limit)]
            done = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if done.returncode:
                raise SystemExit(f"Error: the run at {args.against} failed: {done.stderr.strip()[-500:]}")
            theirs = json.loads(digests.read_text())
        run = cleaner_run()

        def same(name: str, input_name: str, files: list[Path]) -> list[bool]:
            return [digest(run(path)) == other for path, other in zip(files, theirs[f"{name}|{input_name}"])]
    else:
        from cleaner import matching

        run = cleaner_run()
        answers = matching._DocLines.answers

        def same(name: str, input_name: str, files: list[Path]) -> list[bool]:
            out = []
            for path in files:
                rust = run(path)
                matching._DocLines.answers = property(lambda self: None)
                try:
                    re2 = run(path)
                finally:
                    matching._DocLines.answers = answers
                out.append(key(rust) == key(re2))
            return out

    print("| set | input | pages | same | different |\n| --- | --- | ---: | ---: | ---: |")
    total_different = 0
    for name, input_name, files in pages(args.limit):
        answers_same = same(name, input_name, files)
        different = answers_same.count(False)
        total_different += different
        print(f"| {name} | {input_name} | {len(files)} | {len(files) - different} | {different} |", flush=True)
    raise SystemExit(1 if total_different else 0)


if __name__ == "__main__":
    main()
