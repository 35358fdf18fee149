"""The two benchmarks' own metrics, reimplemented (no import of shared/benchmarks/score.py).

Both take the gold standard (the benchmark's JSON, keyed by page name `<stem>.html.gz`) and a mapping
stem -> output text (a missing stem counts as an empty output), and return the aggregate figures plus the
per-page details the reports need. `evaluate.py --check-against-score-py` checks that the aggregate figures
equal score.py's to three decimals.

trafilatura-eval: every 'with' snippet found in the output (after folding runs of whitespace to one space)
is a true positive, every 'with' snippet not found a false negative, every 'without' snippet found a false
positive; precision, recall and F1 are micro-averaged over all snippets of all pages.

scrapinghub: the output and the article body become multisets of 4-token shingles of `\\w+` tokens (a text
of 1-3 tokens is one shorter shingle); per page, precision = shared / output shingles and recall = shared /
truth shingles; precision is averaged over the pages whose output has a shingle, recall over the pages whose
truth has one, and F1 is the harmonic mean of the two averages.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


def fold(text: str) -> str:
    """Whitespace folding: runs of whitespace become one space, ends stripped."""
    return _WS.sub(" ", text).strip()


def stem_of(name: str) -> str:
    return name[: -len(".html.gz")] if name.endswith(".html.gz") else name


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --------------------------------------------------------------------------- trafilatura-eval


@dataclass
class SnippetPage:
    stem: str
    with_found: list[str] = field(default_factory=list)
    with_missed: list[str] = field(default_factory=list)
    without_found: list[str] = field(default_factory=list)
    without_absent: list[str] = field(default_factory=list)

    @property
    def tp(self) -> int:
        return len(self.with_found)

    @property
    def fn(self) -> int:
        return len(self.with_missed)

    @property
    def fp(self) -> int:
        return len(self.without_found)

    @property
    def tn(self) -> int:
        return len(self.without_absent)


def snippet_pages(annotations: dict, outputs: dict[str, str]) -> list[SnippetPage]:
    pages = []
    for name, item in annotations.items():
        stem = stem_of(name)
        out = fold(outputs.get(stem) or "")
        page = SnippetPage(stem)
        for snip in item["with"]:
            (page.with_found if fold(snip) in out else page.with_missed).append(snip)
        for snip in item["without"]:
            (page.without_found if fold(snip) in out else page.without_absent).append(snip)
        pages.append(page)
    return pages


def snippet_totals(pages: list[SnippetPage]) -> dict:
    tp = sum(p.tp for p in pages)
    fp = sum(p.fp for p in pages)
    fn = sum(p.fn for p in pages)
    tn = sum(p.tn for p in pages)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    total = tp + fp + fn + tn
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "accuracy": (tp + tn) / total if total else 0.0,
        "docs": len(pages),
    }


# --------------------------------------------------------------------------- scrapinghub


def shingles(text: str, n: int = 4) -> Counter:
    toks = _TOKEN.findall(text or "")
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


@dataclass
class ShinglePage:
    stem: str
    shared: int  # shingles in both (multiset intersection)
    n_pred: int  # shingles in the output
    n_true: int  # shingles in the article body
    exact: bool  # same token sequence

    @property
    def precision(self) -> float | None:
        """None when the output has no shingle (the page is left out of the precision average)."""
        return self.shared / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.shared / self.n_true if self.n_true else None


def shingle_pages(truth: dict, outputs: dict[str, str]) -> list[ShinglePage]:
    pages = []
    for name, item in truth.items():
        stem = stem_of(name)
        gold, pred = item["articleBody"], outputs.get(stem) or ""
        t, p = shingles(gold), shingles(pred)
        shared = sum((t & p).values())
        pages.append(
            ShinglePage(stem, shared, sum(p.values()), sum(t.values()), _TOKEN.findall(gold) == _TOKEN.findall(pred))
        )
    return pages


def shingle_totals(pages: list[ShinglePage]) -> dict:
    ps = [p.precision for p in pages if p.precision is not None]
    rs = [p.recall for p in pages if p.recall is not None]
    precision = math.fsum(ps) / len(ps) if ps else 0.0
    recall = math.fsum(rs) / len(rs) if rs else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "accuracy": sum(p.exact for p in pages) / len(pages) if pages else 0.0,
        "docs": len(pages),
    }


# --------------------------------------------------------------------------- dispatch

BENCHMARKS = {
    # name (its folder under the benchmarks folder): (gold file, per-page function, totals function)
    "trafilatura-eval": ("annotations.json", snippet_pages, snippet_totals),
    "scrapinghub": ("ground-truth.json", shingle_pages, shingle_totals),
    # Check sets: aggregate figures only (see the benchmarks README); scored as scrapinghub is.
    "check/modern-2025": ("ground-truth.json", shingle_pages, shingle_totals),
    "check/readability": ("ground-truth.json", shingle_pages, shingle_totals),
}


def is_check(bench: str) -> bool:
    """A check set: never print, log or keep a page's output, score or text from it."""
    return bench.startswith("check/")


def page_f1(page) -> float:
    """One page's F1 (for counting pages that got better or worse, never for printing check pages)."""
    if isinstance(page, SnippetPage):
        precision = page.tp / (page.tp + page.fp) if page.tp + page.fp else 0.0
        recall = page.tp / (page.tp + page.fn) if page.tp + page.fn else 0.0
    else:
        precision, recall = page.precision or 0.0, page.recall or 0.0
    return _f1(precision, recall)


def score(bench: str, gold: dict, outputs: dict[str, str]) -> tuple[dict, list]:
    """Aggregate figures and per-page details of one benchmark on one set of outputs."""
    _, pages_fn, totals_fn = BENCHMARKS[bench]
    pages = pages_fn(gold, outputs)
    return totals_fn(pages), pages
