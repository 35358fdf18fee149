"""Each shipped rule's contribution, on dev and on check: F1 with the whole pack minus F1 without the rule.

    python -m bench.rule_evidence                          # both text inputs, all four sets
    python -m bench.rule_evidence --mode text-raw --rule outside-core --rule rating-widget

For every rule, the pages of every set are cleaned again with the pack less that rule (`--disable` as a
user would), and scored with the set's own metric. A rule earns its place by what it gives on check;
one whose dev gain does not show there was fitted to the pages that inspired it. Check sets give
aggregates only: their rows hold F1 deltas and removal counts, never a page, a text or a removed string.

Columns per set: delta F1 (pack minus pack-without-the-rule: positive, the rule helps), removals and
characters the rule makes with the whole pack. The html input is left out: a rule's share there is its
share of the extracted text's cleaning plus the selector rules, and re-extracting every page once per
rule costs an hour.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import metrics  # noqa: E402
from bench.evaluate import load_gold, md_table  # noqa: E402
from bench.tools import read_input  # noqa: E402

TEXT_MODES = ("text-raw", "text-trafilatura")
_STATE: dict = {}


def _init(bench_dir: str, pages: list[tuple[str, str, str]], gold: dict) -> None:
    import cleaner

    _STATE["cleaner"] = cleaner
    _STATE["gold"] = gold
    _STATE["texts"] = {key: read_input(Path(bench_dir), *key) for key in pages}


def _clean_all(left_out: str | None) -> tuple[str | None, dict, Counter, Counter]:
    """The pack less `left_out` (None: the whole pack) on every page: F1 per (set, input), and with the
    whole pack each rule's removals and characters per (set, input). Only aggregates leave the worker."""
    cleaner = _STATE["cleaner"]
    rules = cleaner.load_rules(disable=[left_out] if left_out else [])
    outputs: dict = {}
    removals, chars = Counter(), Counter()
    for (bench, mode, stem), text in _STATE["texts"].items():
        result = cleaner.clean(text, rules=rules)
        outputs.setdefault((bench, mode), {})[stem] = result.text
        if left_out is None:
            for removal in result.removals:
                removals[(bench, mode, removal.rule)] += 1
                chars[(bench, mode, removal.rule)] += max(0, removal.end - removal.start)
    f1 = {key: metrics.score(key[0], _STATE["gold"][key[0]], texts)[0]["f1"] for key, texts in outputs.items()}
    return left_out, f1, removals, chars


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench-dir", type=Path, default=(REPO / ".." / "shared" / "benchmarks").resolve())
    parser.add_argument("--mode", action="append", choices=TEXT_MODES)
    parser.add_argument("--rule", action="append", help="only these rules (repeatable) [every shipped rule]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    import cleaner

    benches = list(metrics.BENCHMARKS)
    modes = args.mode or list(TEXT_MODES)
    rule_ids = args.rule or [rule.meta.id for rule in cleaner.load_rules()]
    gold = load_gold(args.bench_dir, benches, None)
    pages = [(bench, mode, metrics.stem_of(name)) for bench in benches for mode in modes for name in gold[bench]]
    import multiprocessing as mp

    initargs = (str(args.bench_dir), pages, gold)
    with mp.get_context("fork").Pool(args.jobs, initializer=_init, initargs=initargs) as pool:
        results = {rule: (f1, removals, chars) for rule, f1, removals, chars in
                   pool.imap_unordered(_clean_all, [None, *rule_ids])}
    base, removals, chars = results.pop(None)
    header = ["rule", "input"]
    for bench in benches:
        header += [f"{bench} ΔF1", "removals", "chars"]
    rows = []
    summary = Counter()
    for rule in rule_ids:
        without = results[rule][0]
        for mode in modes:
            row = [rule, mode]
            dev_gain = check_gain = 0.0
            for bench in benches:
                delta = base[(bench, mode)] - without[(bench, mode)]
                row += [f"{delta:+.4f}", removals[(bench, mode, rule)], chars[(bench, mode, rule)]]
                if metrics.is_check(bench):
                    check_gain += delta
                else:
                    dev_gain += delta
            rows.append(row)
            verdict = ("helps on check" if check_gain > 1e-4 else "costs check F1" if check_gain < -1e-4
                       else "dev only" if dev_gain > 1e-4 else "no effect")
            summary[(mode, verdict)] += 1
    print("F1 with the whole pack: " + ", ".join(f"{m} {b} {base[(b, m)]:.4f}" for b in benches for m in modes))
    print()
    print(md_table(header, rows, "ll" + "rrr" * len(benches)))
    print()
    print("Rules by what they do on the check sets (sum of the two check sets' ΔF1; 'dev only': no check "
          "effect over 0.0001, a dev gain):")
    for mode in modes:
        print(f"- {mode}: " + ", ".join(f"{verdict} {summary[(mode, verdict)]}" for verdict in
                                        ("helps on check", "costs check F1", "dev only", "no effect")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
