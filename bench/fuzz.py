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
- names:    a folder of files with random-byte names through the batch and the report writer: every
            file has exactly one record, every report line is UTF-8 JSON naming its file.
- charsets: pages declaring random charset labels (codecs that are no text encoding among them), in
            random encodings: decoding gives writable text or DecodeError, cleaning raises nothing.
- jsonl:    JSONL files of records with lone surrogate escapes, invalid escapes, random bytes: a record
            each with a known status, never an internal error; one output line per record, in UTF-8.
- warc:     WET and WARC files of a few records (responses of random status, type and content encoding,
            gzip bombs and bogus encodings among them), whole, cut short or with bytes flipped: a record
            each with a known status, never an internal error.
- aliases:  rule files with YAML anchors and alias nests of random depth and width under random keys:
            loaded, or one RuleError of a few hundred characters, within a second.
- gzip:     gzip members unpacking to random sizes against a random --max-bytes: TooLarge exactly when
            over the cap, and reading allocates no more than a few times the cap.
- matcher:  random patterns from pieces where RE2 and the Rust engine could part (odd case folds, ASCII
            classes, quoting, braces) on random lines: the Rust line matcher's answers are RE2's, line
            by line, and it never panics.

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
from cleaner.io import format_of  # noqa: E402
from cleaner.report import STATUSES  # noqa: E402
from cleaner.ruleset import default_rules  # noqa: E402
from test_properties import PROSE, check_accounting, check_removals, documents, rule_packs  # noqa: E402
from test_rust_matcher import CHARS, patterns, test_random_patterns_match_the_lines_re2_matches  # noqa: E402

ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "cp1251", "koi8-r", "shift_jis", "gb18030", "iso-8859-7"]
SUFFIXES = [".txt", ".md", ".html", ".htm", ".jsonl", ".txt.gz", ".html.gz", ".jsonl.gz", ".parquet", ".warc", ".warc.gz",
            ".warc.wet.gz"]


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
        # A file of many records reports per record, so one without any record (empty, blank lines) has none.
        assert records or format_of(source).records is not None, "no record"
        for record in records:
            assert record["status"] in STATUSES, record["status"]
            assert not str(record.get("error", "")).startswith("internal error"), record["error"]


def target_html(html: str) -> None:
    text = extract_text(html)
    result = clean(text)
    check_accounting(text, result)


@st.composite
def file_names(draw) -> bytes:
    name = draw(st.binary(min_size=1, max_size=120).filter(lambda b: b"/" not in b and b"\0" not in b))
    return name + draw(st.sampled_from([b".txt", b".md", b".html", b".jsonl", b".txt.gz"]))


def target_names(names: list[bytes]) -> None:
    import json
    import os

    from cleaner.batch import plan, run_reported
    from cleaner.report import ReportWriter
    from cleaner.textsafe import path_text

    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "in"
        inputs.mkdir()
        made = set()
        for name in names:
            if name.startswith(b".") or name in made:
                continue  # hidden files are not inputs
            made.add(name)
            data = b"Share on Facebook\n\n" + PROSE[0].encode() + b"\n"
            (inputs / os.fsdecode(name)).write_bytes(gzip.compress(data) if name.endswith(b".gz") else data)
        report = Path(folder) / "report.jsonl"
        with ReportWriter(report) as writer:
            for reported in run_reported(plan([inputs], Path(folder) / "out"), Options(timeout=0)):
                writer.write_line(reported.line)
        records = [json.loads(line) for line in report.read_bytes().decode("utf-8").splitlines()]
        expected = sorted(path_text(inputs / os.fsdecode(name)) for name in made)
        assert sorted(r["source"] for r in records if r.get("id") in (None, 1)) == expected or \
            {r["source"] for r in records} == set(expected), (expected, [r["source"] for r in records])


CHARSET_LABELS = ["utf-8", "utf-16", "utf-16le", "UTF-32", "ucs-2", "base64", "hex", "rot13", "zlib", "uu", "bz2",
                  "quopri", "idna", "punycode", "unicode_escape", "raw_unicode_escape", "cp1252", "latin-1",
                  "shift_jis", "gb2312", "koi8-r", "mbcs", "utf-7", "x-user-defined", "", "\u00e9", "utf-8;"]


@st.composite
def declared_pages(draw) -> bytes:
    label = draw(st.one_of(st.sampled_from(CHARSET_LABELS), st.text(max_size=12)))
    body = draw(st.sampled_from(PROSE))
    page = f'<html><head><meta charset="{label}"><title>t</title></head><body><p>{body}</p></body></html>'
    data = page.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return data


def target_charsets(data: bytes) -> None:
    from cleaner.html import clean_html

    try:
        text = decode_bytes(data, is_html=True)
    except DecodeError:
        return
    text.encode("utf-8")
    result = clean_html(data)
    result.text.encode("utf-8")


@st.composite
def jsonl_files(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            lines.append(b'{"id": 1, "text": "' + draw(st.sampled_from(PROSE)).encode() + b'"}')
        elif kind == 1:  # a lone surrogate escape, in the text or elsewhere
            where = draw(st.sampled_from(["text", "title"]))
            code = draw(st.integers(0xD800, 0xDFFF))
            lines.append(f'{{"{where}": "a\\u{code:04x}b", "text": "Hello there."}}'.encode()
                         if where == "title" else f'{{"text": "a\\u{code:04x}b"}}'.encode())
        elif kind == 2:  # an invalid escape
            lines.append(b'{"text": "bad \\' + draw(st.sampled_from([b"x", b"u12", b"q", b""])) + b'"}')
        elif kind == 3:
            lines.append(draw(st.binary(max_size=80)).replace(b"\n", b" "))
        else:
            lines.append(b"")
    return b"\n".join(lines) + draw(st.sampled_from([b"", b"\n", b"\r\n"]))


def target_jsonl(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "crawl.jsonl"
        source.write_bytes(data)
        output = Path(folder) / "out" / "crawl.jsonl"
        records = process(Task(source, output), default_rules(), Options(timeout=0))
        for record in records:
            assert record["status"] in STATUSES, record["status"]
            assert not str(record.get("error", "")).startswith("internal error"), record["error"]
        if output.exists():
            written = output.read_bytes()
            written.decode("utf-8")
            lines = [line for line in written.split(b"\n") if line.strip()]
            assert len(lines) == len(records), (lines, records)


@st.composite
def warc_files(draw) -> tuple[bytes, str]:
    """A WET or WARC file of a few records (HTTP responses with random status, type and content encoding,
    among them gzip bombs and encodings that are no such thing), then cut short or with bytes flipped."""
    import zlib

    from test_formats import write_warc

    suffix = draw(st.sampled_from([".warc.gz", ".warc", ".warc.wet.gz", ".warc.wet"]))
    records = []
    for number in range(draw(st.integers(1, 4))):
        body = draw(st.sampled_from(PROSE)).encode() * draw(st.integers(1, 50))
        if "wet" in suffix:
            records.append(("conversion", f"https://example.org/{number}", body, {}))
            continue
        encoding = draw(st.sampled_from(["", "gzip", "deflate", "br", "gzip-garbage", "bomb"]))
        if encoding == "gzip":
            body = gzip.compress(body)
        elif encoding == "deflate":
            body = zlib.compress(body)
        elif encoding == "gzip-garbage":
            encoding, body = "gzip", b"\x1f\x8b" + draw(st.binary(max_size=40))
        elif encoding == "bomb":
            encoding, body = "gzip", gzip.compress(b"a" * (4 << 20))
        headers = f"HTTP/1.1 {draw(st.sampled_from(['200 OK', '404 Not Found', '301 Moved']))}\r\n" \
                  f"Content-Type: {draw(st.sampled_from(['text/html', 'application/pdf', 'text/html; charset=latin-1']))}\r\n"
        if encoding:
            headers += f"Content-Encoding: {encoding}\r\n"
        records.append(("response", f"https://example.org/{number}", headers.encode() + b"\r\n" + body,
                        {"Content-Type": "application/http; msgtype=response"}))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"a{suffix}"
        write_warc(path, records)
        data = bytearray(path.read_bytes())
    # Places as fractions of the file: its length varies between draws (record ids are random UUIDs,
    # which compress to different sizes), and hypothesis wants the same draws to mean the same data.
    damage = draw(st.sampled_from(["none", "cut", "flip"]))
    if damage == "cut":
        data = data[: int(draw(st.floats(0, 1)) * len(data))]
    elif damage == "flip":
        for _ in range(draw(st.integers(1, 4))):
            data[int(draw(st.floats(0, 1)) * (len(data) - 1))] ^= draw(st.integers(1, 255))
    return bytes(data), suffix


def target_warc(file: tuple[bytes, str]) -> None:
    data, suffix = file
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"crawl{suffix}"
        source.write_bytes(data)
        options = Options(timeout=0, max_bytes=1 << 20)
        records = process(Task(source, Path(folder) / "out" / "crawl.jsonl"), default_rules(), options)
        for record in records:
            assert record["status"] in STATUSES, record["status"]
            assert not str(record.get("error", "")).startswith("internal error"), record["error"]


@st.composite
def alias_rule_files(draw) -> str:
    depth, width = draw(st.integers(0, 12)), draw(st.integers(1, 12))
    key = draw(st.sampled_from(["max_chars", "zone", "pattern", "description", "examples", "languages", "sites"]))
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, depth + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    lines += ["id: fuzzed", "description: d", "kind: line"]
    if key != "pattern":
        lines.append("pattern: '^x$'")
    if key != "description":
        lines.append(f"{key}: *a{depth}")
    else:
        lines[-3] = f"description: *a{depth}"
    return "\n".join(lines) + "\n"


def target_aliases(text: str) -> None:
    from cleaner.errors import RuleError
    from cleaner.ruleset import load_rules

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rule.yaml"
        path.write_text(text)
        started = time.monotonic()
        try:
            load_rules([path], defaults=False)
        except RuleError as exc:
            assert len(str(exc)) < 600, str(exc)[:200]
        assert time.monotonic() - started < 1.0, "slow"


@st.composite
def gzip_members(draw) -> tuple[bytes, int, int]:
    size = draw(st.integers(0, 4 << 20))
    piece = draw(st.sampled_from([b"\0", b"word ", b"The cat sat.\n"]))
    data = (piece * (size // len(piece) + 1))[:size]
    return gzip.compress(data, compresslevel=1), size, draw(st.integers(1, 2 << 20))


def target_gzip(member: tuple[bytes, int, int]) -> None:
    import tracemalloc

    from cleaner.reading import TooLarge, read_document

    data, size, cap = member
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.txt.gz"
        path.write_bytes(data)
        tracemalloc.start()
        try:
            read = read_document(path, cap)
            assert size <= cap and len(read) == size
        except TooLarge:
            assert size > cap
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert peak <= 3 * cap + (1 << 20), f"{peak:,} bytes read for a cap of {cap:,}"


def target_matcher(pattern: str, lines: list[str], full: bool) -> None:
    test_random_patterns_match_the_lines_re2_matches.hypothesis.inner_test(pattern=pattern, lines=lines, full=full)


TARGETS = {
    "decode": (target_decode, dict(data=raw_bytes)),
    "gunzip": (target_gunzip, dict(data=damaged_gzip())),
    "engine": (target_engine, dict(text=documents(), rules=rule_packs())),
    "shipped": (target_shipped, dict(text=documents())),
    "process": (target_process, dict(data=raw_bytes, suffix=st.sampled_from(SUFFIXES))),
    "html": (target_html, dict(html=tag_soup())),
    "names": (target_names, dict(names=st.lists(file_names(), min_size=1, max_size=5))),
    "charsets": (target_charsets, dict(data=declared_pages())),
    "jsonl": (target_jsonl, dict(data=jsonl_files())),
    "warc": (target_warc, dict(file=warc_files())),
    "aliases": (target_aliases, dict(text=alias_rule_files())),
    "gzip": (target_gzip, dict(member=gzip_members())),
    "matcher": (target_matcher, dict(pattern=patterns(), lines=st.lists(st.text(alphabet=CHARS, max_size=14), min_size=1,
                                                                         max_size=6), full=st.booleans())),
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
