"""Two methods of issue 20, tried on the dev halves before any check run (dev only, never check pages):

    python -m bench.methods_lab line-scorer   # a line scorer learned from the dev gold, on top of the pack
    python -m bench.methods_lab gap-fill      # html: trafilatura's text plus the whole-page core's prose it dropped

line-scorer: per-line features (the pack's decisions, the core, shape, stopword density by the page's
jusText stoplist, neighbours, repetition) and gold labels for the dev text-raw pages (scrapinghub: the line's
4-shingles in the gold; trafilatura-eval: the line holds a 'with' or a 'without' snippet), a logistic
regression with five page-grouped folds, and each benchmark's metric on the lines it keeps.

gap-fill: the cleaned trafilatura text plus the prose lines (of at least N words) of the cleaned whole-page
text that lie between its first and last lines found in trafilatura's text and are missing from it.

Neither beat the pack on dev (bench/README.md, "Methods tried"), so neither ships.
"""
from __future__ import annotations

import json
import math
import re
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cleaner  # noqa: E402
from cleaner.document import Document  # noqa: E402
from bench import metrics  # noqa: E402
from bench import lang  # noqa: E402

BENCH = ROOT.parent / "shared" / "benchmarks"
_TOK = re.compile(r"\w+")


def covered(removals, line):
    """Rules whose removals cover the line's visible text."""
    out = set()
    s = line.start + len(line.text) - len(line.text.lstrip())
    e = line.end - (len(line.text) - len(line.text.rstrip()))
    for r in removals:
        if r.start <= s and r.end >= e:
            out.add(r.rule)
    return out


def label_shingle(line, gold_sh, gold_ngrams, gold_lines):
    toks = _TOK.findall(line.plain)
    if not toks:
        return None
    if len(toks) >= 4:
        sh = [tuple(toks[i:i + 4]) for i in range(len(toks) - 3)]
        frac = sum(1 for s in sh if s in gold_sh) / len(sh)
        return 1.0 if frac >= 0.5 else 0.0
    if metrics.fold(line.plain) in gold_lines:
        return 1.0
    if tuple(toks) not in gold_ngrams:
        return 0.0
    return None


def label_snippets(line, withs, withouts):
    f = metrics.fold(line.plain)
    if len(f) < 3:
        return None
    for s in withs:
        if s in f or (len(f) >= 15 and f in s):
            return 1.0
    for s in withouts:
        if s in f or (len(f) >= 15 and f in s):
            return 0.0
    return None


STOP = {}


def stopwords(name):
    if name not in STOP:
        import justext
        STOP[name] = frozenset(justext.get_stoplist(name))
    return STOP[name]


def features(doc, removals, stop):
    lines = doc.lines
    content = [ln for ln in lines if not ln.is_blank]
    n = len(content)
    core = doc.core
    total_words = sum(ln.n_words for ln in content) or 1
    core_words = sum(ln.n_words for ln in lines[core[0]:core[1] + 1] if ln.is_prose) if core else 0
    keys = {}
    for ln in content:
        keys[ln.key] = keys.get(ln.key, 0) + 1
    para_size = {}
    para_prose = {}
    for ln in content:
        para_size[ln.paragraph] = para_size.get(ln.paragraph, 0) + 1
        para_prose[ln.paragraph] = para_prose.get(ln.paragraph, 0) + ln.is_prose
    rules = [covered(removals, ln) for ln in content]
    oc = [1.0 if "outside-core" in r else 0.0 for r in rules]
    other = [1.0 if r - {"outside-core"} else 0.0 for r in rules]
    rows = []
    for k, ln in enumerate(content):
        toks = _TOK.findall(ln.plain)
        lw = [t.lower() for t in toks]
        letters = [c for c in ln.plain if c.isalpha()]
        sw = sum(1 for t in lw if t in stop) / len(lw) if lw else 0.0
        if core:
            if ln.index < core[0]:
                d = -sum(1 for x in content if ln.index <= x.index < core[0])
            elif ln.index > core[1]:
                d = sum(1 for x in content if core[1] < x.index <= ln.index)
            else:
                d = 0
        else:
            d = 0
        win = content[max(0, k - 3):k + 4]
        prev = content[k - 1] if k else None
        nxt = content[k + 1] if k + 1 < n else None
        rows.append([
            oc[k], other[k],
            1.0 if core and core[0] <= ln.index <= core[1] else 0.0,
            1.0 if ln.is_prose else 0.0,
            math.log1p(ln.n_words), math.log1p(len(ln.plain)),
            1.0 if ln.ends_sentence else 0.0,
            len(letters) / max(len(ln.plain), 1),
            sum(c.isdigit() for c in ln.plain) / max(len(ln.plain), 1),
            sum(c.isupper() for c in letters) / max(len(letters), 1),
            sum(1 for t in toks if t[:1].isupper()) / max(len(toks), 1),
            1.0 if re.search(r"[|•·»›]", ln.plain) else 0.0,
            1.0 if re.match(r"\s*[*\-•·▪+]\s", ln.text) else 0.0,
            sw,
            k / max(n - 1, 1),
            max(-1.0, min(1.0, d / 30)),
            1.0 if d < 0 else 0.0, 1.0 if d > 0 else 0.0,
            math.log1p(abs(d)),
            (1.0 if prev.is_prose else 0.0) if prev else 0.0,
            (1.0 if nxt.is_prose else 0.0) if nxt else 0.0,
            oc[k - 1] if k else 1.0, oc[k + 1] if k + 1 < n else 1.0,
            sum(x.is_prose for x in win) / len(win),
            1.0 if keys[ln.key] > 1 else 0.0,
            math.log1p(para_size[ln.paragraph]),
            para_prose[ln.paragraph] / para_size[ln.paragraph],
            core_words / total_words,
            math.log1p(n),
        ])
    return content, np.array(rows, dtype=float).reshape(-1, 29), rules


def load(bench):
    base = BENCH / bench
    gold_file, _, _ = metrics.BENCHMARKS[bench]
    gold = json.loads((base / gold_file).read_text())
    pages = []
    for name, item in gold.items():
        stem = metrics.stem_of(name)
        path = base / "text-raw" / f"{stem}.txt"
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        result = cleaner.clean(text)
        doc = Document(text)
        stop = stopwords(lang.guess_stoplist(text)[0])
        content, X, rules = features(doc, result.removals, stop)
        if bench == "scrapinghub":
            g = item["articleBody"]
            gt = _TOK.findall(g)
            gold_sh = {tuple(gt[i:i + 4]) for i in range(len(gt) - 3)}
            grams = set()
            for m in (1, 2, 3):
                grams |= {tuple(gt[i:i + m]) for i in range(len(gt) - m + 1)}
            gold_lines = {metrics.fold(x) for x in g.splitlines()}
            y = [label_shingle(ln, gold_sh, grams, gold_lines) for ln in content]
        else:
            withs = [metrics.fold(s) for s in item["with"]]
            withouts = [metrics.fold(s) for s in item["without"]]
            y = [label_snippets(ln, withs, withouts) for ln in content]
        pages.append(dict(stem=stem, bench=bench, text=text, content=content, X=X, y=y,
                          pack=result.text, removals=result.removals))
    return gold, pages


def train(X, y, l2=1e-3, iters=300):
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    Z = np.hstack([Z, np.ones((len(Z), 1))])
    w = np.zeros(Z.shape[1])
    for _ in range(iters):  # Newton / IRLS
        p = 1 / (1 + np.exp(-Z @ w))
        g = Z.T @ (p - y) + l2 * w * len(y)
        H = (Z * (p * (1 - p))[:, None]).T @ Z + l2 * len(y) * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return mu, sd, w


def predict(model, X):
    mu, sd, w = model
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    return 1 / (1 + np.exp(-Z @ w))


def render(page, keep):
    return "\n".join(ln.text for ln, k in zip(page["content"], keep) if k)


def gap_fill(min_words: int = 20):
    for bench in ("trafilatura-eval", "scrapinghub"):
        base = BENCH / bench
        gold = json.loads((base / metrics.BENCHMARKS[bench][0]).read_text())
        plain, filled = {}, {}
        for name in gold:
            stem = metrics.stem_of(name)

            def read(mode):
                return (base / mode / f"{stem}.txt").read_text(encoding="utf-8", errors="replace")
            extracted = cleaner.clean(read("text-trafilatura")).text
            whole = [ln for ln in Document(cleaner.clean(read("text-raw")).text).lines if not ln.is_blank]
            folded = metrics.fold(extracted)
            found = [i for i, ln in enumerate(whole) if ln.n_words >= 5 and metrics.fold(ln.plain)[:60] in folded]
            extra = [] if not found else [
                ln.text for ln in whole[found[0]:found[-1] + 1]
                if ln.is_prose and ln.n_words >= min_words and metrics.fold(ln.plain)[:60] not in folded]
            plain[stem], filled[stem] = extracted, "\n".join([extracted, *extra])
        for label, outputs in (("trafilatura text, cleaned", plain), ("the same, gap-filled", filled)):
            totals, _ = metrics.score(bench, gold, outputs)
            print(f"{bench} {label}: P {totals['precision']:.3f} R {totals['recall']:.3f} F1 {totals['f1']:.3f}")


def line_scorer():
    data = {b: load(b) for b in ("trafilatura-eval", "scrapinghub")}
    allpages = [p for b in data for p in data[b][1]]
    folds = 5
    for i, p in enumerate(allpages):
        p["fold"] = zlib.crc32(p["stem"].encode()) % folds
    probs = {}
    for f in range(folds):
        tr = [p for p in allpages if p["fold"] != f]
        X = np.vstack([p["X"][[i for i, v in enumerate(p["y"]) if v is not None]] for p in tr])
        y = np.array([v for p in tr for v in p["y"] if v is not None])
        model = train(X, y)
        for p in allpages:
            if p["fold"] == f:
                probs[p["stem"]] = predict(model, p["X"])
    for t in (0.3, 0.4, 0.5, 0.6):
        for mode in ("pack", "scorer", "scorer-no-other"):
            res = []
            for b, (gold, pages) in data.items():
                outs = {}
                for p in pages:
                    if mode == "pack":
                        outs[p["stem"]] = p["pack"]
                    else:
                        pr = probs[p["stem"]]
                        keep = [pr[i] >= t and (mode == "scorer-no-other" or p["X"][i, 1] == 0)
                                for i in range(len(pr))]
                        outs[p["stem"]] = render(p, keep)
                tot, _ = metrics.score(b, gold, outs)
                res.append(f"{b} P {tot['precision']:.3f} R {tot['recall']:.3f} F1 {tot['f1']:.3f}")
            print(t, mode, " | ".join(res))
    X = np.vstack([p["X"][[i for i, v in enumerate(p["y"]) if v is not None]] for p in allpages])
    y = np.array([v for p in allpages for v in p["y"] if v is not None])
    print("labelled lines", len(y), "keep share", y.mean())
    model = train(X, y)
    print("weights", np.round(model[2], 2).tolist())


if __name__ == "__main__":
    if sys.argv[1:] == ["line-scorer"]:
        line_scorer()
    elif sys.argv[1:] == ["gap-fill"]:
        gap_fill()
    else:
        sys.exit("usage: python -m bench.methods_lab line-scorer|gap-fill")
