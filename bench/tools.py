"""The tools compared by evaluate.py, each a function from one page's input to its output text.

Text modes (input: the page as plain text): unchanged, cleaner, c4-lines (datatrove's C4QualityFilter as a
line filter), justext (each line a <p>). HTML mode (input: the page's bytes): trafilatura default /
favor_precision / favor_recall and readability-lxml (on the page decoded by trafilatura's decode_file, as the
benchmark's text folders were made), resiliparse main content (on the bytes, its own decoding),
cleaner.clean_html (on the bytes).

Everything here runs inside worker processes: `init_worker` loads what the tools need once per process, and
`run_job` runs the requested tools on one page and returns plain, picklable values.
"""
from __future__ import annotations

import gzip
import html as html_lib
import time
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TEXT_MODES = ("text-raw", "text-trafilatura")
HTML_MODE = "html"
MODES = TEXT_MODES + (HTML_MODE,)

TEXT_TOOLS = ("unchanged", "cleaner", "c4-lines", "justext")
HTML_TOOLS = (
    "trafilatura",
    "trafilatura-precision",
    "trafilatura-recall",
    "readability",
    "resiliparse",
    "cleaner",
)
CLEANER = "cleaner"


def tools_for(mode: str) -> tuple[str, ...]:
    return HTML_TOOLS if mode == HTML_MODE else TEXT_TOOLS


# --------------------------------------------------------------------------- cleaner (or its stand-in)


class IdentityCleaner:
    """Stand-in with cleaner's API: removes nothing. clean_html extracts with trafilatura like the real one
    will (see DESIGN.md: 'HTML is extracted with trafilatura first and then cleaned the same way')."""

    __version__ = "identity stand-in"

    @dataclass
    class Result:
        text: str
        removals: list

    def load_rules(self, paths, defaults=True):
        return None

    def clean(self, text, rules=None):
        return self.Result(text, [])

    def clean_html(self, html, rules=None):
        return self.Result(_trafilatura(html, "default"), [])


def load_cleaner(impl: str):
    """The cleaner module ('package') or the identity stand-in ('identity')."""
    if impl == "identity":
        return IdentityCleaner()
    import cleaner  # noqa: PLC0415

    if not hasattr(cleaner, "clean"):
        raise RuntimeError(
            "the cleaner package has no clean() yet (it is being written): use --cleaner identity meanwhile"
        )
    return cleaner


def has_clean_html(impl: str) -> bool:
    try:
        return hasattr(load_cleaner(impl), "clean_html")
    except Exception:
        return False


def _removal_dict(r) -> dict:
    return {
        "rule": str(getattr(r, "rule", "")),
        "start": int(getattr(r, "start", -1)),
        "end": int(getattr(r, "end", -1)),
        "text": str(getattr(r, "text", "")),
        "reason": str(getattr(r, "reason", "")),
    }


# --------------------------------------------------------------------------- peers on text

# The README's settings: datatrove 0.10's C4QualityFilter as a line filter only.
C4_ARGS = dict(
    filter_no_terminal_punct=True,
    min_num_sentences=-1,
    min_words_per_line=3,
    max_word_length=1000,
    filter_lorem_ipsum=False,
    filter_javascript=True,
    filter_curly_bracket=False,
    filter_policy=True,
)


@lru_cache(maxsize=1)
def _c4_filter():
    from datatrove.pipeline.filters import C4QualityFilter

    return C4QualityFilter(**C4_ARGS)


def c4_lines(text: str) -> str:
    """The document's text as C4QualityFilter.filter() leaves it, whatever it decides about the document.

    filter() assigns doc.text = "\\n".join(kept lines) only when it keeps the document; with the settings
    above it always does (min_num_sentences=-1 means no sentence count, hence no NLTK, and the two
    whole-document rejections, lorem ipsum and curly brackets, are off). If it ever returns False early,
    doc.text is the text it left, i.e. unchanged.
    """
    from datatrove.data import Document

    doc = Document(text=text, id="bench")
    _c4_filter().filter(doc)
    return doc.text


@lru_cache(maxsize=None)
def _stoplist(name: str):
    import justext

    return justext.get_stoplist(name)


def justext_text(text: str) -> tuple[str, str]:
    """(kept text, stoplist used): every non-blank line becomes one <p> of a minimal page, jusText with its
    default parameters and the stoplist of the language guessed by stopword counts (English by default)
    classifies them, and the paragraphs not marked boilerplate are kept, one per line."""
    import justext

    from bench.lang import guess_stoplist

    name, _ = guess_stoplist(text)
    body = "".join(f"<p>{html_lib.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body>\n{body}</body></html>'
    paragraphs = justext.justext(page, _stoplist(name))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate), name


# --------------------------------------------------------------------------- peers on HTML


def decode_html(raw: bytes) -> str:
    """The page decoded as the benchmark's text-raw was made: trafilatura's decode_file."""
    from trafilatura.utils import decode_file

    return decode_file(raw)


def _trafilatura(page, variant: str) -> str:
    import trafilatura

    # include_comments=False, include_tables=True: the settings of the benchmark's text-trafilatura folder
    # (whose output this reproduces byte for byte in the default variant).
    kw = dict(include_comments=False, include_tables=True)
    if variant == "precision":
        kw["favor_precision"] = True
    elif variant == "recall":
        kw["favor_recall"] = True
    return trafilatura.extract(page, **kw) or ""


def _html_to_text(page: str, main_content: bool) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(page), main_content=main_content)


def readability_text(page: str) -> str:
    """readability-lxml's summary() (HTML of the main article), made text by resiliparse's plain-text
    renderer without main-content heuristics (block elements become lines)."""
    from readability import Document

    return _html_to_text(Document(page).summary(), main_content=False)


def resiliparse_text(raw: bytes) -> str:
    """resiliparse's main-content plain text, on the page decoded by resiliparse itself (detect_encoding +
    bytes_to_str, its documented way): this reproduces the benchmark README's figures, 0.843 / 0.896."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(bytes_to_str(raw, detect_encoding(raw))), main_content=True)


# --------------------------------------------------------------------------- worker

_STATE: dict = {}


def _warm_up() -> None:
    """Import the peers once per process, so that no page's time includes an import. A peer that is
    not installed (no [bench] extra) fails on each page it would run on, where it is reported; cleaner
    alone (--only cleaner) needs none of them."""
    import importlib

    for module in ("justext", "readability", "resiliparse.extract.html2text", "trafilatura"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    try:
        _c4_filter()
        from bench.lang import _index

        _index()
    except ImportError:
        pass


def init_worker(cleaner_impl: str, rule_paths: list[str], bench_dir: str, disable: list[str] = ()) -> None:
    _warm_up()
    _STATE["bench_dir"] = Path(bench_dir)
    _STATE["cleaner"] = None
    _STATE["rules"] = None
    _STATE["cleaner_error"] = None
    try:
        mod = load_cleaner(cleaner_impl)
        _STATE["cleaner"] = mod
        if rule_paths or disable:
            _STATE["rules"] = mod.load_rules(list(rule_paths), disable=list(disable))
    except Exception as e:  # reported per page, so the peers still run
        _STATE["cleaner_error"] = f"{type(e).__name__}: {e}"


def read_input(bench_dir: Path, bench: str, mode: str, stem: str):
    """The page's input for a mode: str for text modes (missing file -> ''), bytes for html."""
    if mode == HTML_MODE:
        return gzip.decompress((bench_dir / bench / "html" / f"{stem}.html.gz").read_bytes())
    p = bench_dir / bench / mode / f"{stem}.txt"
    # newline="" keeps the text exactly as stored, so removal offsets index the file's own characters.
    if not p.exists():
        return ""
    with p.open(encoding="utf-8", errors="replace", newline="") as f:
        return f.read()


def _call_cleaner(mode: str, data):
    mod = _STATE["cleaner"]
    if mod is None:
        raise RuntimeError(_STATE["cleaner_error"] or "cleaner not loaded")
    kw = {"rules": _STATE["rules"]} if _STATE["rules"] is not None else {}
    res = mod.clean_html(data, **kw) if mode == HTML_MODE else mod.clean(data, **kw)
    return res.text or "", [_removal_dict(r) for r in (res.removals or [])]


def run_job(job: tuple) -> dict:
    """job = (bench, mode, stem, tools). Returns {"key": (bench, mode, stem), "tools": {tool: {...}}} where
    each tool's entry has "text", "seconds", and optionally "error", "removals", "bad_offsets", "stoplist"."""
    bench, mode, stem, tools = job
    data = read_input(_STATE["bench_dir"], bench, mode, stem)
    t0 = time.perf_counter()
    page = decode_html(data) if mode == HTML_MODE and any(t not in (CLEANER, "resiliparse") for t in tools) else None
    decode_seconds = time.perf_counter() - t0  # charged to each HTML peer: cleaner.clean_html decodes itself
    out: dict = {}
    for tool in tools:
        entry: dict = {}
        t0 = time.perf_counter()
        try:
            if tool == "unchanged":
                entry["text"] = data
            elif tool == CLEANER:
                text, removals = _call_cleaner(mode, data)
                entry["text"], entry["removals"] = text, removals
                if mode != HTML_MODE:
                    entry["bad_offsets"] = sum(data[r["start"] : r["end"]] != r["text"] for r in removals)
            elif tool == "c4-lines":
                entry["text"] = c4_lines(data)
            elif tool == "justext":
                entry["text"], entry["stoplist"] = justext_text(data)
            elif tool == "trafilatura":
                entry["text"] = _trafilatura(page, "default")
            elif tool == "trafilatura-precision":
                entry["text"] = _trafilatura(page, "precision")
            elif tool == "trafilatura-recall":
                entry["text"] = _trafilatura(page, "recall")
            elif tool == "readability":
                entry["text"] = readability_text(page)
            elif tool == "resiliparse":
                entry["text"] = resiliparse_text(data)
            else:
                raise ValueError(f"unknown tool {tool}")
        except Exception as e:
            entry["text"] = ""
            entry["error"] = f"{type(e).__name__}: {e}"
            entry["traceback"] = traceback.format_exc(limit=4)
        charged = page is not None and tool not in (CLEANER, "resiliparse")
        entry["seconds"] = time.perf_counter() - t0 + (decode_seconds if charged else 0.0)
        out[tool] = entry
    return {"key": (bench, mode, stem), "tools": out}
