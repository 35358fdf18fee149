"""Long inputs against the engine: each shape of text at three sizes, cost per MB of clean() (process
CPU time). A cost per MB that grows with the size is a super-linear path (issue 22 asks for none).

    .venv/bin/python -m bench.long_inputs [--sizes 50000,1000000,5000000]

Shapes: one line of headlines glued to their summaries, one line of words two spaces apart, a page of
Markdown table rows, a page of the same block-rule start line, one line of small numbers. Exits 1 when
a shape's largest size costs more than twice per MB what its middle size does (the smallest size is
shown, not judged: it carries the first call's lazily built regex states).
"""
from __future__ import annotations

import argparse
import time

SHAPES = {
    "glued headlines, one line": "Breaking news from the cityA man was seen walking along the river bank today. ",
    "words two spaces apart, one line": "word  ",
    "table rows": "| a | b | c |\n",
    "block starts": "Previous Article\n",
    "numbers, one line": "1 2 3 4 5 6 7 8 9 10 ",
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50000,1000000,5000000", help="three sizes in characters")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]

    import cleaner

    rules = cleaner.load_rules([])
    cleaner.clean("warm up: the rules' matcher is built on the first call.\n", rules=rules)
    failed = False
    for name, unit in SHAPES.items():
        costs = []
        for size in sizes:
            text = unit * max(size // len(unit), 1)
            started = time.process_time()
            cleaner.clean(text, rules=rules)
            costs.append((time.process_time() - started) / (len(text) / 1e6))
        grows = costs[-1] > 2 * costs[-2]
        failed |= grows
        shown = " | ".join(f"{size / 1e6:g} MB {cost:.3f} s/MB" for size, cost in zip(sizes, costs))
        print(f"{name:<34} {shown}{'   GROWS' if grows else ''}", flush=True)
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
