"""Evaluate cleaner against its peers on the two public benchmarks in ../shared/benchmarks.

    python bench/evaluate.py                       # everything: both benchmarks, all modes, all tools
    python -m bench.evaluate --only cleaner        # fast iteration: cleaner only
    python bench/evaluate.py --check-against-score-py   # also verify bench/metrics.py against score.py

See bench/README.md for what the table's rows and columns mean.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `python bench/evaluate.py` puts bench/ first on the path, not the repo
    sys.path.insert(0, str(REPO))

from bench import metrics  # noqa: E402
from bench.lang import guess_page_language  # noqa: E402
from bench.revision import package_at  # noqa: E402
from bench.tools import (  # noqa: E402
    CLEANER,
    HTML_MODE,
    MODES,
    init_worker,
    has_clean_html,
    load_cleaner,
    read_input,
    run_job,
    tools_for,
)

BENCHES = tuple(metrics.BENCHMARKS)
MIN_LANG_DOCS = 5  # languages with fewer trafilatura-eval pages are pooled as 'other'


# --------------------------------------------------------------------------- small helpers


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def cell(s, n: int = 0) -> str:
    """Text made safe for a markdown table cell, cut to n characters if n."""
    s = re.sub(r"\s+", " ", str(s)).strip()
    if n and len(s) > n:
        s = s[: n - 1] + "…"
    return s.replace("|", "\\|")


def md_table(header: list[str], rows: list[list], align: str | None = None) -> str:
    align = align or "l" * len(header)
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def f3(x) -> str:
    return "" if x is None else f"{x:.3f}"


def version_of(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def cleaner_version(impl: str) -> str:
    if impl == "identity":
        return "identity stand-in"
    try:
        mod = load_cleaner(impl)
        v = getattr(mod, "__version__", None)
    except Exception:
        v = None
    if not v:
        v = version_of("cleaner")
    if v == "not installed":
        m = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M) if (
            REPO / "pyproject.toml"
        ).exists() else None
        v = m.group(1) if m else "unknown"
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "cleaner", "rules"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()
        v += f" (git {rev or 'no commit'}{', modified' if dirty else ''})"
    except Exception:
        pass
    return v


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """metrics.fold(text) and, for each of its characters, the index of the character of `text` it came
    from (a folded space maps to the first whitespace character of its run)."""
    chars: list[str] = []
    idx: list[int] = []
    for m in re.finditer(r"\s+|\S+", text):
        if m.group()[0].isspace():
            chars.append(" ")
            idx.append(m.start())
        else:
            chars.extend(m.group())
            idx.extend(range(m.start(), m.end()))
    while chars and chars[0] == " ":
        chars.pop(0)
        idx.pop(0)
    while chars and chars[-1] == " ":
        chars.pop()
        idx.pop()
    return "".join(chars), idx


def rules_covering(snippet: str, source: str | None, removals: list[dict]) -> str:
    """Which removals took a lost snippet: the rule ids (with counts) of the removals that overlap the
    snippet's place in the cleaner's input when the input is known, else of those whose text holds the
    snippet (or a sizeable part of it)."""
    snip = metrics.fold(snippet)
    if not snip:
        return "(empty snippet)"
    if source is not None:
        folded, idx = fold_with_map(source)
        pos = folded.find(snip)
        if pos < 0:
            return "(not in the input)"
        s, e = idx[pos], idx[pos + len(snip) - 1] + 1
        hit = Counter(r["rule"] for r in removals if r["start"] < e and r["end"] > s)
        if not hit:
            return "(in the input, no removal covers it)"
    else:
        hit = Counter()
        for r in removals:
            rt = metrics.fold(r["text"])
            if rt and (snip in rt or (len(rt) >= 15 and rt in snip)):
                hit[r["rule"]] += 1
        if not hit:
            return "(no removal's text holds it)"
    return ", ".join(f"{rule}×{n}" if n > 1 else rule for rule, n in hit.most_common())


# --------------------------------------------------------------------------- loading


def load_gold(bench_dir: Path, benches: list[str], stems_filter: set[str] | None) -> dict:
    gold = {}
    for bench in benches:
        fname = metrics.BENCHMARKS[bench][0]
        data = json.loads((bench_dir / bench / fname).read_text(encoding="utf-8"))
        if stems_filter is not None:
            data = {k: v for k, v in data.items() if metrics.stem_of(k) in stems_filter}
        gold[bench] = data
    return gold


def read_stems(path: str) -> set[str]:
    stems = set()
    for line in Path(path).read_text().split():
        line = Path(line.strip()).name
        for suf in (".html.gz", ".txt"):
            if line.endswith(suf):
                line = line[: -len(suf)]
        if line:
            stems.add(line)
    return stems


# --------------------------------------------------------------------------- running


def run_all(args, gold: dict, plan: dict[str, tuple[str, ...]]) -> dict:
    """Run every tool of `plan` (mode -> tools) on every page. Returns the collected outputs."""
    jobs = []
    for mode in sorted(plan, key=lambda m: m != HTML_MODE):  # the slow html jobs first, for balance
        for bench, data in gold.items():
            for name in data:
                jobs.append((bench, mode, metrics.stem_of(name), plan[mode]))
    outputs: dict = defaultdict(dict)  # (mode, tool, bench) -> stem -> text
    seconds: dict = defaultdict(list)  # (mode, tool) -> per-page seconds
    removals: dict = {}  # (mode, bench, stem) -> cleaner's removals
    errors: dict = defaultdict(list)  # (mode, tool) -> [(bench, stem, error)]
    bad_offsets: dict = defaultdict(int)  # mode -> removals whose text is not input[start:end]
    stoplists: Counter = Counter()
    initargs = (args.cleaner, args.cleaner_rules or [], str(args.bench_dir), args.cleaner_disable or [])
    t0 = time.perf_counter()

    def collect(res):
        bench, mode, stem = res["key"]
        for tool, entry in res["tools"].items():
            outputs[(mode, tool, bench)][stem] = entry["text"]
            seconds[(mode, tool)].append(entry["seconds"])
            if "error" in entry:
                errors[(mode, tool)].append((bench, stem, entry["error"], entry.get("traceback", "")))
            if tool == CLEANER:
                removals[(mode, bench, stem)] = entry.get("removals", [])
                bad_offsets[mode] += entry.get("bad_offsets", 0)
            if "stoplist" in entry and mode == "text-raw":
                stoplists[entry["stoplist"]] += 1

    n = len(jobs)
    if args.jobs <= 1:
        init_worker(*initargs)
        results = map(run_job, jobs)
        pool = None
    else:
        import multiprocessing as mp

        pool = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None).Pool(
            args.jobs, initializer=init_worker, initargs=initargs
        )
        results = pool.imap_unordered(run_job, jobs, chunksize=2)
    try:
        for i, res in enumerate(results, 1):
            collect(res)
            if i % 200 == 0 or i == n:
                log(f"  {i}/{n} page-modes done, {time.perf_counter() - t0:.0f} s")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return {
        "outputs": outputs,
        "seconds": seconds,
        "removals": removals,
        "errors": errors,
        "bad_offsets": bad_offsets,
        "stoplists": stoplists,
        "wall": time.perf_counter() - t0,
    }


# --------------------------------------------------------------------------- reports


def main_table(plan, benches, scores, seconds) -> tuple[str, list[dict]]:
    header = ["input", "tool"]
    align = "ll"
    for b in benches:
        header += [f"{b} P", "R", "F1"]
        align += "rrr"
    header += ["ms/page"]
    align += "r"
    rows, records = [], []
    for mode in plan:
        for tool in plan[mode]:
            row = [mode, "cleaner.clean_html" if (tool == CLEANER and mode == HTML_MODE) else tool]
            for b in benches:
                s = scores[(mode, tool, b)][0]
                row += [f3(s["precision"]), f3(s["recall"]), f"**{s['f1']:.3f}**" if tool == CLEANER else f3(s["f1"])]
                records.append({"mode": mode, "tool": tool, "bench": b, **s})
            secs = seconds.get((mode, tool), [])
            ms = 1000 * math.fsum(secs) / len(secs) if secs else None
            for r in records[-len(benches):]:
                r["ms_per_page"] = ms
            row.append("" if ms is None else f"{ms:.1f}")
            rows.append(row)
    return md_table(header, rows, align), records


def rule_table(mode: str, benches, run, top: int = 30) -> tuple[str, list[dict]]:
    count: Counter = Counter()
    chars: Counter = Counter()
    docs: dict = defaultdict(set)
    for (m, b, stem), rems in run["removals"].items():
        if m != mode or b not in benches:
            continue
        for r in rems:
            count[r["rule"]] += 1
            chars[r["rule"]] += max(0, r["end"] - r["start"]) if r["end"] >= 0 else len(r["text"])
            docs[r["rule"]].add((b, stem))
    ranked = [
        {"rule": rule, "removals": n, "docs": len(docs[rule]), "chars": chars[rule]} for rule, n in count.most_common()
    ]
    rows = [[cell(x["rule"]), x["removals"], x["docs"], x["chars"]] for x in ranked[:top]]
    total = sum(count.values())
    ndocs = len({d for s in docs.values() for d in s})
    head = f"{total} removals by {len(count)} rules in {ndocs} documents"
    if not rows:
        return head + ".", ranked
    return head + f"; top {min(top, len(rows))}:\n\n" + md_table(["rule", "removals", "docs", "chars"], rows, "lrrr"), ranked


def _lost_shingles(gold_text: str, out_text: str) -> Counter:
    return metrics.shingles(gold_text) - metrics.shingles(out_text)


def junk_sample(gold_text: str, out_text: str) -> str:
    """The first output line of 4+ tokens most of whose shingles are not in the article body."""
    truth = metrics.shingles(gold_text)
    for line in out_text.splitlines():
        sh = metrics.shingles(line)
        if sum(sh.values()) >= 1 and len(re.findall(r"\w+", line)) >= 4:
            inside = sum((sh & truth).values())
            if inside < 0.2 * sum(sh.values()):
                return line
    return ""


def lost_sample(gold_text: str, out_text: str, src: str | None = None) -> str:
    """The first article-body paragraph of 4+ tokens most of whose shingles are missing from the output
    (and, when the input is known, mostly present in the input)."""
    out = metrics.shingles(out_text)
    inp = metrics.shingles(src) if src is not None else None
    for para in gold_text.splitlines():
        sh = metrics.shingles(para)
        n = sum(sh.values())
        if len(re.findall(r"\w+", para)) < 4 or sum((sh & out).values()) >= 0.2 * n:
            continue
        if inp is not None and sum((sh & inp).values()) < 0.5 * n:
            continue
        return para
    return ""


def cleaner_pages_report(mode, bench, gold, pages, run, args, urls) -> tuple[str, dict]:
    """The 10 pages with the most junk left and the 10 with the most content lost, for cleaner."""
    outputs = run["outputs"][(mode, CLEANER, bench)]
    rem = lambda stem: run["removals"].get((mode, bench, stem), [])  # noqa: E731
    source = lambda stem: None if mode == HTML_MODE else read_input(args.bench_dir, bench, mode, stem)  # noqa: E731
    out_md, out_js = [], {"junk_left": [], "content_lost": []}
    if bench == "trafilatura-eval":
        junk = sorted((p for p in pages if p.fp), key=lambda p: (-p.fp, -p.fp / (p.fp + p.tn), p.stem))[:10]
        rows = []
        for p in junk:
            rows.append([p.stem, f"{p.fp}/{p.fp + p.tn}", cell(" · ".join(cell(s, 60) for s in p.without_found), 300)])
            out_js["junk_left"].append({"stem": p.stem, "url": urls.get(p.stem), "without_found": p.without_found,
                                        "without_total": p.fp + p.tn})
        out_md.append(f"Most junk left ({bench}: most 'without' snippets found):\n\n"
                      + (md_table(["stem", "found", "'without' snippets found"], rows, "lrl") if rows else "none"))
        # Content lost: in text modes, the 'with' snippets that were in cleaner's input and are not in its
        # output (the snippets the input lacks are not cleaner's doing); in html mode, every missed snippet.
        # (In html mode the pages with the most missed snippets that a removal's text holds come first.)
        cands = []
        for p in pages:
            if not p.fn:
                continue
            src = source(p.stem)
            if src is None:
                mine = [(w, rules_covering(w, None, rem(p.stem))) for w in p.with_missed]
                n_mine = sum(not r.startswith("(") for _, r in mine)
            else:
                folded = metrics.fold(src)
                mine = [(w, rules_covering(w, src, rem(p.stem))) for w in p.with_missed if metrics.fold(w) in folded]
                n_mine = len(mine)
            if mine:
                cands.append((p, n_mine, mine))
        cands.sort(key=lambda c: (-c[1], -c[0].fn, c[0].stem))
        rows = []
        for p, n_mine, mine in cands[:10]:
            entries = []
            for snip, rules in mine:
                rows.append([p.stem, f"{n_mine} · {p.fn}/{p.fn + p.tp}", cell(snip, 80), cell(rules, 120)])
                entries.append({"snippet": snip, "rules": rules})
            out_js["content_lost"].append({"stem": p.stem, "url": urls.get(p.stem), "lost_by_cleaner": entries,
                                           "with_missed": p.fn, "with_total": p.fn + p.tp})
        what = ("most 'with' snippets of the input missing from the output; 'lost' = those · all missed / "
                "'with' snippets; rules = the removals covering the snippet" if mode != HTML_MODE
                else "most 'with' snippets missed that a removal's text holds, then most missed; 'lost' = those · "
                "all missed / 'with' snippets; rules = the removals whose text holds the snippet")
        out_md.append(f"Most content lost ({bench}: {what}):\n\n"
                      + (md_table(["stem", "lost", "lost snippet", "rules"], rows, "lrll") if rows else "none"))
    else:
        with_p = [p for p in pages if p.precision is not None]
        junk = sorted(with_p, key=lambda p: (p.precision, p.stem))[:10]
        rows = []
        for p in junk:
            g = gold[p.stem]
            sample = junk_sample(g, outputs.get(p.stem, ""))
            rows.append([p.stem, f3(p.precision), f3(p.recall), cell(sample, 100)])
            out_js["junk_left"].append({"stem": p.stem, "url": urls.get(p.stem), "precision": p.precision,
                                        "recall": p.recall, "junk_sample": sample})
        out_md.append(f"Most junk left ({bench}: lowest precision):\n\n"
                      + (md_table(["stem", "P", "R", "a junk line kept"], rows, "lrrl") if rows else "none"))
        # Content lost: in text modes, the pages whose recall fell most from the input's (unchanged) recall;
        # in html mode, the pages of lowest recall.
        cands = []
        for p in pages:
            if p.recall is None:
                continue
            src = source(p.stem)
            r_in = None
            if src is not None:
                t, i = metrics.shingles(gold[p.stem]), metrics.shingles(src)
                r_in = sum((t & i).values()) / p.n_true
            cands.append((p, src, r_in))
        if mode == HTML_MODE:
            cands.sort(key=lambda c: (c[0].recall, c[0].stem))
        else:
            cands = [c for c in cands if c[2] - c[0].recall > 1e-12]
            cands.sort(key=lambda c: (c[0].recall - c[2], c[0].stem))
        rows = []
        for p, src, r_in in cands[:10]:
            g, o = gold[p.stem], outputs.get(p.stem, "")
            missing = _lost_shingles(g, o)
            by_rule: Counter = Counter()
            best = (0, "")
            for r in rem(p.stem):
                k = sum((metrics.shingles(r["text"]) & missing).values())
                if k:
                    by_rule[r["rule"]] += k
                    best = max(best, (k, r["text"]), key=lambda b: b[0])
            rules = ", ".join(f"{rule} ({k} sh.)" for rule, k in by_rule.most_common(5)) or "(no removal holds lost text)"
            # the removal holding the most lost article shingles, else a lost article paragraph
            sample = best[1] or lost_sample(g, o, src)
            rows.append([p.stem, f3(p.recall)] + ([f3(r_in)] if mode != HTML_MODE else [])
                        + [f3(p.precision), cell(sample, 80), cell(rules, 120)])
            out_js["content_lost"].append({"stem": p.stem, "url": urls.get(p.stem), "recall": p.recall,
                                           "recall_input": r_in, "precision": p.precision, "lost_sample": sample,
                                           "rules_shingles": dict(by_rule)})
        what = "largest recall drop from the input's" if mode != HTML_MODE else "lowest recall"
        out_md.append(f"Most content lost ({bench}: {what}; rules = lost article shingles inside each "
                      "rule's removals):\n\n"
                      + (md_table(["stem", "R"] + (["R input"] if mode != HTML_MODE else [])
                                  + ["P", "lost article text", "rules"], rows, "lrrrll" if mode != HTML_MODE else "lrrll")
                         if rows else "none"))
    return "\n\n".join(out_md), out_js


def language_table(plan, gold_traf, langs: dict[str, str], scores) -> tuple[str, dict]:
    counts = Counter(langs.values())
    main = [lang for lang, n in counts.most_common() if n >= MIN_LANG_DOCS]
    group = {stem: (lang if lang in main else "other") for stem, lang in langs.items()}
    cols = main + (["other"] if any(v == "other" for v in group.values()) else [])
    ncol = Counter(group.values())
    header = ["input", "tool", "all"] + [f"{c} ({ncol[c]})" for c in cols]
    rows, js = [], {}
    for mode in plan:
        if mode == HTML_MODE:
            continue
        for tool in plan[mode]:
            pages = scores[(mode, tool, "trafilatura-eval")][1]
            per = defaultdict(list)
            for p in pages:
                per[group.get(p.stem, "other")].append(p)
            tot = {c: metrics.snippet_totals(per[c]) for c in cols}
            allf = scores[(mode, tool, "trafilatura-eval")][0]["f1"]
            rows.append([mode, tool, f3(allf)] + [f3(tot[c]["f1"]) for c in cols])
            js[f"{mode}/{tool}"] = {c: {k: tot[c][k] for k in ("precision", "recall", "f1", "docs")} for c in cols}
    md = md_table(header, rows, "ll" + "r" * (len(header) - 2))
    return md, {"languages": dict(counts), "f1_by_language": js}


# --------------------------------------------------------------------------- check against score.py


def check_against_score_py(args, gold, scores, outputs) -> tuple[bool, list[dict]]:
    score_py = args.bench_dir / "score.py"
    ok = True
    checks = []
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        tmp = Path(tmp)
        bench_paths = {}
        for bench, data in gold.items():
            if args.stems:  # a restricted gold file, so score.py scores the same pages
                d = tmp / "gold" / bench
                d.mkdir(parents=True)
                (d / metrics.BENCHMARKS[bench][0]).write_text(json.dumps(data), encoding="utf-8")
                bench_paths[bench] = d
            else:
                bench_paths[bench] = args.bench_dir / bench
        for (mode, tool, bench), (mine, _) in scores.items():
            out = tmp / "out" / mode / tool / bench
            out.mkdir(parents=True)
            for stem, text in outputs[(mode, tool, bench)].items():
                (out / f"{stem}.txt").write_text(text, encoding="utf-8", errors="replace")
            proc = subprocess.run(
                [sys.executable, str(score_py), str(bench_paths[bench]), str(out)],
                capture_output=True, text=True, timeout=600,
            )
            theirs = dict(kv.split("=", 1) for kv in proc.stdout.split() if "=" in kv)
            diffs = []
            for k in ("precision", "recall", "f1", "accuracy"):
                if theirs.get(k) != f"{mine[k]:.3f}":
                    diffs.append(f"{k}: score.py {theirs.get(k)} vs ours {mine[k]:.3f}")
            if theirs.get("docs") != str(mine["docs"]):
                diffs.append(f"docs: score.py {theirs.get('docs')} vs ours {mine['docs']}")
            if proc.returncode:
                diffs.append(f"score.py exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
            ok &= not diffs
            checks.append({"mode": mode, "tool": tool, "bench": bench, "score_py": proc.stdout.strip(),
                           "equal": not diffs, "diffs": diffs})
    return ok, checks


# --------------------------------------------------------------------------- another revision


def against(args, rev: str, plan, benches) -> dict:
    """Per-page F1 of cleaner at git revision `rev` on the same pages: that revision's package (from git
    archive), run by this tree's harness in a subprocess. Keyed by 'mode|tool|bench', in page order."""
    modes = [m for m in plan if CLEANER in plan[m]]
    if not modes:
        raise RuntimeError("nothing to compare: cleaner is not among the tools run")
    with tempfile.TemporaryDirectory(prefix="bench-against-") as tmp:
        tree = package_at(rev, Path(tmp))
        page_f1 = Path(tmp) / "page-f1.json"
        command = [sys.executable, "-m", "bench.evaluate", "--only", CLEANER, "--cleaner-path", str(tree),
                   "--page-f1", str(page_f1), "--bench-dir", str(args.bench_dir), "--jobs", str(args.jobs)]
        for mode in modes:
            command += ["--mode", mode]
        for bench in benches:
            command += ["--bench", bench]
        if args.stems:
            command += ["--stems", args.stems]
        for rules in args.cleaner_rules or []:
            command += ["--cleaner-rules", rules]
        for rule_id in args.cleaner_disable or []:
            command += ["--cleaner-disable", rule_id]
        done = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            raise RuntimeError(f"its run failed: {done.stderr.strip()[-500:]}")
        return json.loads(page_f1.read_text())


def against_table(plan, benches, scores, theirs: dict) -> str:
    rows = []
    for mode in plan:
        if CLEANER not in plan[mode]:
            continue
        for bench in benches:
            mine_total, pages = scores[(mode, CLEANER, bench)]
            now = [metrics.page_f1(p) for p in pages]
            then = theirs[f"{mode}|{CLEANER}|{bench}"]
            better = sum(a > b + 1e-9 for a, b in zip(now, then))
            worse = sum(a < b - 1e-9 for a, b in zip(now, then))
            was = theirs[f"total|{mode}|{bench}"]
            rows.append([mode, bench, f3(was), f3(mine_total["f1"]), f"{mine_total['f1'] - was:+.4f}", better, worse])
    return md_table(["input", "set", "F1 then", "F1 now", "delta", "pages better", "pages worse"], rows, "llrrrrr")


# --------------------------------------------------------------------------- main


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        prog="python -m bench.evaluate",
        description="Score cleaner and its peers on the shared benchmarks (see bench/README.md).",
    )
    ap.add_argument("--bench-dir", type=Path, default=(REPO / ".." / "shared" / "benchmarks").resolve(),
                    help="the benchmarks folder (default: ../shared/benchmarks beside the repo)")
    ap.add_argument("--bench", action="append", choices=BENCHES,
                    help="benchmark to run (repeatable; default: both)")
    ap.add_argument("--mode", action="append", choices=MODES,
                    help="input mode (repeatable; default: all; html only runs if cleaner.clean_html exists)")
    ap.add_argument("--only", help="comma-separated tools to run, e.g. 'cleaner' or 'cleaner,unchanged' "
                    "(default: all: unchanged, cleaner, c4-lines, justext; and in html mode trafilatura, "
                    "trafilatura-precision, trafilatura-recall, readability, resiliparse, cleaner)")
    ap.add_argument("--cleaner", choices=("package", "identity"), default="package",
                    help="'package': the cleaner package's Python API; 'identity': a stand-in that removes "
                    "nothing (its clean_html is trafilatura's default extraction), to test the harness")
    ap.add_argument("--cleaner-rules", action="append", metavar="PATH",
                    help="extra rule file or folder for cleaner (repeatable), loaded with "
                    "cleaner.load_rules(PATHS) on top of the shipped pack")
    ap.add_argument("--cleaner-disable", action="append", metavar="ID",
                    help="run cleaner without this rule (repeatable), as `cleaner clean --disable ID` does")
    ap.add_argument("--stems", metavar="FILE", help="only the pages whose stems are listed in FILE")
    ap.add_argument("--out-dir", type=Path, help="keep cleaner's outputs: DIR/<mode>/<bench>/<stem>.txt "
                    "and removals.jsonl")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write machine-readable results to FILE")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    ap.add_argument("--against", metavar="REV",
                    help="also run cleaner as it was at git revision REV on the same pages and inputs, and print, "
                         "per set and input, the F1 of both and how many pages got better or worse (counts only)")
    ap.add_argument("--cleaner-path", type=Path, help=argparse.SUPPRESS)  # --against: import cleaner from here
    ap.add_argument("--page-f1", type=Path, help=argparse.SUPPRESS)  # --against: where its run leaves page F1s
    ap.add_argument("--check-against-score-py", action="store_true",
                    help="also score every row's outputs with BENCH_DIR/score.py and fail unless the figures "
                    "agree to 3 decimals")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.cleaner_path:  # before anything imports cleaner
        sys.path.insert(0, str(args.cleaner_path))
    args.bench_dir = args.bench_dir.resolve()
    benches = [b for b in BENCHES if b in (args.bench or BENCHES)]
    dev_benches = [b for b in benches if not metrics.is_check(b)]
    modes = [m for m in MODES if m in (args.mode or MODES)]
    only = [t.strip() for t in args.only.split(",") if t.strip()] if args.only else None
    known = {t for m in MODES for t in tools_for(m)}
    if only and set(only) - known:
        log(f"Error: --only: unknown tool(s) {', '.join(sorted(set(only) - known))}; known: {', '.join(sorted(known))}")
        return 2
    notes = []

    if args.cleaner == "package" and (only is None or CLEANER in only):
        try:
            mod = load_cleaner("package")
        except Exception as e:
            log(f"Error: cannot use the cleaner package: {type(e).__name__}: {e}\n"
                "hint: run with --cleaner identity to test the harness with a stand-in")
            return 2
        if args.cleaner_rules or args.cleaner_disable:
            try:
                mod.load_rules(list(args.cleaner_rules or []), disable=list(args.cleaner_disable or []))
            except Exception as e:
                log(f"Error: --cleaner-rules/--cleaner-disable: {type(e).__name__}: {e}")
                return 2
    if HTML_MODE in modes and not has_clean_html(args.cleaner):
        modes.remove(HTML_MODE)
        notes.append("html mode skipped: cleaner.clean_html does not exist yet.")

    plan = {}
    for mode in modes:
        tools = tuple(t for t in tools_for(mode) if only is None or t in only)
        if tools:
            plan[mode] = tools
    if not plan:
        log("Error: nothing to run (check --only and --mode)")
        return 2

    stems_filter = read_stems(args.stems) if args.stems else None
    gold = load_gold(args.bench_dir, benches, stems_filter)
    urls = {metrics.stem_of(k): v.get("url", "") for data in gold.values() for k, v in data.items()}
    npages = sum(len(d) for d in gold.values())
    log(f"evaluate: {npages} pages × {', '.join(f'{m} ({len(t)} tools)' for m, t in plan.items())}, "
        f"{args.jobs} jobs")

    run = run_all(args, gold, plan)

    gold_texts = {b: {metrics.stem_of(k): v.get("articleBody", "") for k, v in d.items()} for b, d in gold.items()}
    scores = {}
    for mode, tools in plan.items():
        for tool in tools:
            for bench in benches:
                scores[(mode, tool, bench)] = metrics.score(bench, gold[bench], run["outputs"][(mode, tool, bench)])

    today = _dt.date.today().isoformat()
    versions = {
        "cleaner": cleaner_version(args.cleaner),
        "trafilatura": version_of("trafilatura"),
        "datatrove": version_of("datatrove"),
        "justext": version_of("justext"),
        "readability-lxml": version_of("readability-lxml"),
        "resiliparse": version_of("resiliparse"),
    }
    table, records = main_table(plan, benches, scores, run["seconds"])
    out = [f"## Benchmarks ({', '.join(f'{b}: {len(gold[b])} pages' for b in benches)})", "", table, ""]
    out.append(f"{today} · " + " · ".join(f"{k} {v}" for k, v in versions.items())
               + (f" · cleaner extra rules: {', '.join(args.cleaner_rules)}" if args.cleaner_rules else "")
               + (f" · cleaner without: {', '.join(args.cleaner_disable)}" if args.cleaner_disable else ""))
    for (mode, tool), errs in sorted(run["errors"].items()):
        dev_errs = [e for e in errs if not metrics.is_check(e[0])]
        example = (f", e.g. {dev_errs[0][0]}/{dev_errs[0][1]}: {cell(dev_errs[0][2], 200)}" if dev_errs else "")
        out.append(f"\n**{len(errs)} failures** of {tool} on {mode} (scored as empty outputs; "
                   f"{len(errs) - len(dev_errs)} on check pages){example}")
    for n in notes:
        out.append("\n" + n)

    js: dict = {"date": today, "versions": versions, "args": {k: str(v) for k, v in vars(args).items()},
                "results": records, "wall_seconds": run["wall"], "errors": {}, "cleaner": {}}
    for (mode, tool), errs in run["errors"].items():
        js["errors"][f"{mode}/{tool}"] = [{"bench": b, "stem": s, "error": e} for b, s, e, _ in errs
                                          if not metrics.is_check(b)]

    # cleaner's own report, per input mode
    for mode, tools in plan.items():
        if CLEANER not in tools:
            continue
        label = "cleaner.clean_html" if mode == HTML_MODE else "cleaner.clean"
        out.append(f"\n## {label} on {mode}\n")
        rt, ranked = rule_table(mode, dev_benches, run)
        out.append("Removals per rule: " + rt)
        if run["bad_offsets"].get(mode):
            out.append(f"\n**{run['bad_offsets'][mode]} removals whose text is not input[start:end]**")
        cj = {"rules": ranked, "bad_offsets": run["bad_offsets"].get(mode, 0)}
        for bench in dev_benches:  # page by page: never a check set
            g = gold_texts[bench] if bench == "scrapinghub" else None
            md, pj = cleaner_pages_report(mode, bench, g, scores[(mode, CLEANER, bench)][1], run, args, urls)
            out.append("\n" + md)
            cj[bench] = pj
        js["cleaner"][mode] = cj

    # per-language breakdown of trafilatura-eval (text modes)
    if "trafilatura-eval" in benches and any(m != HTML_MODE for m in plan):
        langs = {}
        for name, item in gold["trafilatura-eval"].items():
            stem = metrics.stem_of(name)
            langs[stem] = guess_page_language(item.get("url", ""),
                                              read_input(args.bench_dir, "trafilatura-eval", "text-raw", stem))
        lt, lj = language_table(plan, gold["trafilatura-eval"], langs, scores)
        out.append("\n## trafilatura-eval F1 by language (language from the text's stopwords, else the URL's "
                   f"country TLD; fewer than {MIN_LANG_DOCS} pages pooled as 'other')\n")
        out.append(lt)
        js["languages"] = lj
        js["page_language"] = langs
    if run["stoplists"]:
        out.append("\njusText stoplists used on text-raw: "
                   + ", ".join(f"{k} {v}" for k, v in run["stoplists"].most_common()))
    out.append(f"\nwall time {run['wall']:.0f} s with {args.jobs} jobs")

    if args.out_dir:
        for mode, tools in plan.items():
            if CLEANER not in tools:
                continue
            for bench in dev_benches:  # never a check page's output
                d = args.out_dir / mode / bench
                d.mkdir(parents=True, exist_ok=True)
                with (d / "removals.jsonl").open("w", encoding="utf-8") as rf:
                    for stem, text in sorted(run["outputs"][(mode, CLEANER, bench)].items()):
                        (d / f"{stem}.txt").write_text(text, encoding="utf-8", errors="replace")
                        rf.write(json.dumps({"stem": stem, "removals": run["removals"].get((mode, bench, stem), [])},
                                            ensure_ascii=False) + "\n")
        out.append(f"cleaner's outputs kept in {args.out_dir}")

    if args.page_f1:  # for the --against run that started this one; a temporary file, never printed
        found = {}
        for (mode, tool, bench), (total, pages) in scores.items():
            if tool == CLEANER:
                found[f"{mode}|{tool}|{bench}"] = [metrics.page_f1(p) for p in pages]
                found[f"total|{mode}|{bench}"] = total["f1"]
        args.page_f1.write_text(json.dumps(found))
    if args.against:
        log(f"running cleaner at {args.against} on the same pages ...")
        try:
            theirs = against(args, args.against, plan, benches)
        except RuntimeError as exc:
            log(f"Error: --against {args.against}: {exc}")
            return 2
        out.append(f"\n## Against {args.against} (cleaner only; pages better or worse by their own F1)\n")
        out.append(against_table(plan, benches, scores, theirs))

    status = 0
    if args.check_against_score_py:
        log("checking against score.py ...")
        ok, checks = check_against_score_py(args, gold, scores, run["outputs"])
        js["check_against_score_py"] = checks
        bad = [c for c in checks if not c["equal"]]
        out.append(f"\nCheck against {args.bench_dir / 'score.py'}: {len(checks) - len(bad)}/{len(checks)} rows "
                   f"equal to 3 decimals (precision, recall, f1, accuracy, docs)"
                   + ("" if ok else ": MISMATCH"))
        for c in bad:
            out.append(f"- {c['mode']} / {c['tool']} / {c['bench']}: " + "; ".join(c["diffs"]))
        status = 0 if ok else 1

    print("\n".join(out))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(js, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
