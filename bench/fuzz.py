"""Fuzz the decoder and the engine with hypothesis, for a bounded time, and print what was tried.

    python bench/fuzz.py                      # every target, 60 s each
    python bench/fuzz.py --seconds 300 --only engine
    python bench/fuzz.py --guardrail-figures  # the measurement behind the guardrail defaults

Targets and what each checks on every input:
- decode:   random bytes, and real text in other encodings with bytes flipped, BOMs, NULs: decode_bytes
            returns text that UTF-8 can write, or raises DecodeError; nothing else.
- gunzip:   gzip streams cut short or corrupted: bytes or DecodeError.
- engine:   random documents x random rule packs: no exception; words in == words out + words removed;
            each removal's text is the input between its offsets, in order, without overlap.
- shipped:  random documents with the shipped pack: the same, plus idempotence (cleaning the output
            removes nothing).
- process:  a file of random bytes under a random input name, through batch.process(): a report record
            with a known status, never an internal error.
- html:     random tag soup, deeply nested: extraction and cleaning raise nothing.

Each target runs in rounds of fresh random examples until its time is up; a failure is printed with
its minimal example and counted. Exit 1 when anything failed.
"""
from __future__ import annotations

import argparse
import codecs
import gzip
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for path in (REPO, REPO / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cleaner import clean  # noqa: E402
from cleaner.batch import Options, Task, process  # noqa: E402
from cleaner.decode import DecodeError, decode_bytes, gunzip  # noqa: E402
from cleaner.document import words  # noqa: E402
from cleaner.html import extract_text  # noqa: E402
from cleaner.report import STATUSES  # noqa: E402
from cleaner.ruleset import default_rules  # noqa: E402
from test_properties import PROSE, check_accounting, check_removals, documents, rule_packs  # noqa: E402

ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "cp1251", "koi8-r", "shift_jis", "gb18030", "iso-8859-7"]
SUFFIXES = [".txt", ".md", ".html", ".htm", ".jsonl", ".txt.gz", ".html.gz", ".jsonl.gz"]


@st.composite
def encoded_text(draw) -> bytes:
    """Real text in some encoding, then damaged: flipped bytes, a BOM, a NUL, a cut."""
    text = draw(st.one_of(st.sampled_from(PROSE), st.text(max_size=200)))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    prefix = draw(st.sampled_from([b"", b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE]))
    data = prefix + bytes(data)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


raw_bytes = st.one_of(st.binary(max_size=600), encoded_text())


@st.composite
def damaged_gzip(draw) -> bytes:
    data = gzip.compress(draw(raw_bytes))
    cut = draw(st.integers(0, len(data)))
    damaged = bytearray(data[:cut])
    if damaged and draw(st.booleans()):
        damaged[draw(st.integers(0, len(damaged) - 1))] ^= 0xFF
    return bytes(damaged)


TAGS = ["div", "p", "span", "article", "main", "script", "style", "table", "tr", "td", "a", "li", "ul", "h1", "br", "nav", "footer"]


@st.composite
def tag_soup(draw) -> str:
    depth = draw(st.sampled_from([0, 3, 50, 2000, 20000]))
    pieces = ["<html><body>", "<div>" * depth]
    for _ in range(draw(st.integers(0, 30))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            pieces.append(f"<{draw(st.sampled_from(TAGS))}>")
        elif choice == 1:
            pieces.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif choice == 2:
            pieces.append(draw(st.sampled_from(PROSE)))
        else:
            pieces.append(draw(st.text(max_size=30)))
    pieces.append("</div>" * draw(st.integers(0, depth)))
    return "".join(pieces)


# The targets: each takes one example and raises AssertionError (or anything) when a property breaks.

def target_decode(data: bytes) -> None:
    try:
        text = decode_bytes(data, is_html=False)
    except DecodeError:
        return
    assert isinstance(text, str)
    text.encode("utf-8")  # what write_atomic does: no lone surrogates may come out of decoding


def target_gunzip(data: bytes) -> None:
    try:
        out = gunzip(data)
    except DecodeError:
        return
    assert isinstance(out, bytes)


def target_engine(text: str, rules) -> None:
    result = clean(text, rules=rules)
    check_accounting(text, result)
    check_removals(text, result)


def target_shipped(text: str) -> None:
    rules = default_rules()
    result = clean(text, rules=rules)
    check_accounting(text, result)
    check_removals(text, result)
    again = clean(result.text, rules=rules)
    assert again.removals == [], [(r.rule, r.text) for r in again.removals]


def target_process(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"page{suffix}"
        source.write_bytes(gzip.compress(data) if suffix.endswith(".gz") and data[:1] == b"\x01" else data)
        out_name = source.name.removesuffix(".gz")
        records = process(Task(source, Path(folder) / "out" / out_name), default_rules(), Options())
        # A JSONL file reports per record, so one without any record (empty, blank lines) has none.
        assert records or ".jsonl" in suffix, "no record"
        for record in records:
            assert record["status"] in STATUSES, record["status"]
            assert not str(record.get("error", "")).startswith("internal error"), record["error"]


def target_html(html: str) -> None:
    text = extract_text(html)
    result = clean(text)
    check_accounting(text, result)


TARGETS = {
    "decode": (target_decode, dict(data=raw_bytes)),
    "gunzip": (target_gunzip, dict(data=damaged_gzip())),
    "engine": (target_engine, dict(text=documents(), rules=rule_packs())),
    "shipped": (target_shipped, dict(text=documents())),
    "process": (target_process, dict(data=raw_bytes, suffix=st.sampled_from(SUFFIXES))),
    "html": (target_html, dict(html=tag_soup())),
}


def fuzz(name: str, seconds: float, round_size: int = 200) -> tuple[int, list[str]]:
    """Rounds of `round_size` fresh examples until `seconds` have passed: (inputs tried, failures)."""
    function, strategies = TARGETS[name]
    tried = Counter()
    failures: list[str] = []

    @settings(max_examples=round_size, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(**strategies)
    def run_round(**example):
        tried["inputs"] += 1
        function(**example)

    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            run_round()
        except Exception:  # noqa: BLE001 - a finding: keep its minimal example and go on
            failures.append(traceback.format_exc(limit=-3))
            if len(failures) >= 3:
                break
    return tried["inputs"], failures


def guardrail_figures() -> None:
    """The figures behind the guardrail defaults (see cleaner/guardrail.py)."""
    from cleaner.guardrail import Guardrail

    bench = REPO.parent / "shared" / "benchmarks"
    ideal = []
    for raw in sorted(bench.glob("*/text-raw/*.txt")):
        extracted = raw.parent.parent / "text-trafilatura" / raw.name
        article = extracted.read_text(encoding="utf-8") if extracted.exists() else ""
        n_raw, n_article = len(words(raw.read_text(encoding="utf-8"))), len(words(article))
        if n_raw and n_article:
            ideal.append((n_article / n_raw, n_article, raw.parent.parent.name + "/" + raw.name))
    ideal.sort()
    print(f"perfect cleaning of whole pages (text-raw -> text-trafilatura), {len(ideal)} pages:")
    print(f"  lowest share kept: {ideal[0][0]:.1%} ({ideal[0][1]} words, {ideal[0][2]})")
    fewest = min(ideal, key=lambda row: row[1])
    print(f"  fewest words kept: {fewest[1]} ({fewest[0]:.1%}, {fewest[2]})")
    print("  pages closest to the corner (share < 25% and < 40 words):")
    for share, count, name in ideal:
        if share < 0.25 and count < 40:
            print(f"    {share:.1%} {count} words {name}")
    guard = Guardrail()
    print(f"  guarded at the defaults (share {guard.min_share}, words {guard.min_words}): "
          f"{sum(1 for s, c, _ in ideal if s < guard.min_share and c < guard.min_words)}")
    rules = default_rules()
    groups = {
        "text-raw": sorted(bench.glob("*/text-raw/*.txt")),
        "text-trafilatura": sorted(bench.glob("*/text-trafilatura/*.txt")),
        "fixtures": sorted((REPO / "fixtures").glob("*/raw/*.txt")) + sorted((REPO / "fixtures").glob("untouched/*.txt")),
    }
    print("the shipped pack:")
    for group, paths in groups.items():
        kept, statuses = [], Counter()
        for path in paths:
            text = path.read_text(encoding="utf-8")
            result = clean(text, rules=rules)
            statuses[result.status] += 1
            if result.removals and words(text):
                kept.append((len(words(result.text)) / len(words(text)), len(words(result.text))))
        low_share = min(kept) if kept else (1.0, 0)
        low_words = min(kept, key=lambda k: k[1]) if kept else (1.0, 0)
        print(f"  {group}: {len(paths)} documents {dict(statuses)}; lowest share kept {low_share[0]:.1%} "
              f"({low_share[1]} words); fewest words kept {low_words[1]} ({low_words[0]:.1%})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="time per target")
    parser.add_argument("--only", action="append", choices=sorted(TARGETS), help="run only these targets")
    parser.add_argument("--guardrail-figures", action="store_true", help="print the guardrail measurement and exit")
    args = parser.parse_args()
    if args.guardrail_figures:
        guardrail_figures()
        return 0
    default_rules()  # compile once, outside the timed rounds
    total_failures = 0
    print(f"{'target':<10} {'inputs':>9} {'seconds':>8} {'inputs/s':>9} failures")
    for name in args.only or list(TARGETS):
        start = time.monotonic()
        tried, failures = fuzz(name, args.seconds)
        elapsed = time.monotonic() - start
        print(f"{name:<10} {tried:>9} {elapsed:>8.1f} {tried / elapsed:>9.1f} {len(failures)}", flush=True)
        for failure in failures:
            print("  " + failure.replace("\n", "\n  "))
        total_failures += len(failures)
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
