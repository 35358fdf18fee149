"""The best any line filter could score on scrapinghub: line oracles built from the gold standard.

    .venv/bin/python -m bench.ceiling [--mode text-trafilatura] [--bench-dir ../shared/benchmarks]

A line cleaner keeps or drops whole lines. This script asks the gold standard which lines of each input
are article text and scores three outputs with the benchmark's own metric (bench/metrics.py):

- `input`: the input unchanged;
- `gold lines`: exactly the input lines whose words stand in the article body, in order (a perfect line
  filter);
- `gold lines, title kept`: the same, but the first non-blank line is kept when it is headline-shaped
  (at most 25 words, not ending in '.' or ':'), as the seeds' gold keeps the title above the article.
  scrapinghub's gold leaves titles out; the seeds, part of the same acceptance, keep them, and a text
  cleaner cannot tell one convention's title from the other's.

This reads the gold standards: it is a bench tool that bounds what rules can reach, never part of cleaning.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from bench import metrics

ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"\w+")
_HEADLINE_WORDS = 25


def _words(text: str) -> str:
    return " ".join(_TOKEN.findall(text))


def gold_lines(text: str, body: str) -> list[bool]:
    """For each line of `text`: whether its words stand, in order, in the article body (a line with no
    word counts as kept: it adds no shingle)."""
    article = f" {_words(body)} "
    return [not words or f" {words} " in article for words in map(_words, text.split("\n"))]


def headline_shaped(line: str) -> bool:
    line = line.strip()
    return 0 < len(line.split()) <= _HEADLINE_WORDS and not line.endswith((".", ":"))


def oracles(text: str, body: str) -> dict[str, str]:
    lines = text.split("\n")
    keep = gold_lines(text, body)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    titled = list(keep)
    if first is not None and headline_shaped(lines[first]):
        titled[first] = True
    return {
        "input": text,
        "gold lines": "\n".join(line for line, kept in zip(lines, keep) if kept),
        "gold lines, title kept": "\n".join(line for line, kept in zip(lines, titled) if kept),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench-dir", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--mode", default="text-trafilatura", choices=("text-raw", "text-trafilatura"))
    args = parser.parse_args(argv)
    folder = args.bench_dir / "scrapinghub"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    outputs: dict[str, dict[str, str]] = {}
    for name, item in truth.items():
        stem = metrics.stem_of(name)
        text = (folder / args.mode / f"{stem}.txt").read_text(encoding="utf-8", errors="replace")
        for label, output in oracles(text, item["articleBody"]).items():
            outputs.setdefault(label, {})[stem] = output
    print(f"scrapinghub, {args.mode}, {len(truth)} pages")
    print(f"| output | P | R | F1 |\n| --- | ---: | ---: | ---: |")
    for label, texts in outputs.items():
        totals, _ = metrics.score("scrapinghub", truth, texts)
        print(f"| {label} | {totals['precision']:.4f} | {totals['recall']:.4f} | {totals['f1']:.4f} |")


if __name__ == "__main__":
    main()
