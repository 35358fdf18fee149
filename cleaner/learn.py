"""Learn site boilerplate: lines and short blocks repeated across many documents of one site.

A line found on most pages of a site (header, menu, footer, a promo dropped into every article) is
junk for that site; a sentence quoted on a handful of pages is not, so a line is proposed only when it
is on at least `min_docs` documents *and* on at least `min_share` of the site's documents. Lines that
differ only in their numbers ("© 2024", "1,234 views") are counted together and become a `line`
regex; a line with one spelling becomes a `phrase`; a run of such lines that always comes together
becomes a `block`. Every proposed rule is scoped to its site with `sites:` (when the site is known)
and carries its own examples, so `cleaner rules test` checks the file like any other.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .sites import site_from_path, site_of_url  # the same site the batch passes to clean()
from .errors import CleanerError
from .document import Document, Line, plain_text
from .io import DEFAULT_MAX_BYTES, ReadOptions, documents, input_format
from .html import page_text
from .kinds.phrase import _TRIM, phrase_key
from .ruleset import RuleSet

_DIGITS = re.compile(r"[0-9]+")  # RE2's \d is ASCII digits: count the same ones
_LETTER = re.compile(r"[^\W\d_]")
_REGEX_SPECIAL = set("\\.^$*+?{}[]|()")


# ---------------------------------------------------------------------------------------------------
# Reading inputs: the same files, formats and sites as `cleaner clean`.


@dataclass(frozen=True)
class Source:
    """One document's decoded text: a file, or one record of a JSONL, WET, WARC or Parquet file."""

    path: Path
    text: str
    site: str | None = None
    record: int | str | None = None  # the record's id, as the report names it (None: the file is the document)
    page: str | None = field(default=None, repr=False)  # the HTML page the text was extracted from

    @property
    def label(self) -> str:
        return f"{self.path}#{self.record}" if self.record is not None else str(self.path)


def read_file(
    path: Path, site: str | None = None, rules: RuleSet | None = None, text_field: str = "text", id_field: str = "id",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Source]:
    """The documents of one input file (one for text and HTML, one per record for the others): the text
    the text rules see, to which report offsets refer. For HTML that is the extracted text, after the
    `selector` rules of `rules` took their nodes out of the page. A record the batch would not clean
    (not JSON, over the cap) is left out. Raises DecodeError, CleanerError or OSError for a file that
    cannot be read."""
    for item in documents(path, ReadOptions(text_field, id_field, max_bytes)):
        if item.text is None:
            continue
        item_site = site_of_url(item.url) or site
        text = page_text(item.text, rules, item_site) if item.html else item.text
        yield Source(path, text, item_site, item.id, item.text if item.html else None)


def iter_sources(inputs: Iterable[Path], errors: list[str] | None = None, text_field: str = "text") -> Iterator[Source]:
    """Every document under the inputs, in a stable order (a JSONL record's text in `text_field`);
    unreadable files are noted in `errors`."""
    for root in inputs:
        if root.is_dir():
            files = []
            for folder, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                here = Path(folder)
                files += [here / n for n in sorted(filenames) if not n.startswith(".") and input_format(here / n)]
            pairs = [(path, site_from_path(path.relative_to(root))) for path in files]
        else:
            pairs = [(root, None)]
        for path, site in pairs:
            try:
                yield from read_file(path, site, text_field=text_field)
            except (OSError, CleanerError, ValueError) as exc:
                if errors is not None:
                    errors.append(f"{path}: {exc}")


# ---------------------------------------------------------------------------------------------------
# Finding repeated lines and blocks.


@dataclass(frozen=True)
class Options:
    min_docs: int = 5  # a line must be on at least this many documents of the site...
    min_share: float = 0.2  # ...and on at least this share of them
    max_words: int = 60  # longer lines are article text, whatever their count
    max_block_lines: int = 8
    keep_examples: int = 3


@dataclass
class Proposal:
    kind: str  # phrase | line | block
    site: str | None
    shapes: tuple[str, ...]  # one per line of the block (one for a line)
    variants: list[str]  # the lines as written (first occurrence of each spelling)
    docs: list[str] = field(default_factory=list)  # labels of the documents it is on
    positions: list[float] = field(default_factory=list)  # where in the document, 0..1, for ordering


def _shape(line: Line) -> str:
    """What repeated lines are compared by: the line as a phrase rule sees it, numbers folded."""
    return _DIGITS.sub("0", phrase_key(line.text))


def _usable(line: Line, options: Options) -> bool:
    return bool(_LETTER.search(line.plain)) and line.n_words <= options.max_words


def learn_site(sources: list[Source], site: str | None, options: Options) -> tuple[list[Proposal], list[Source]]:
    """Proposals for one site's documents, ordered as they sit in a page (header first)."""
    docs = []  # per document: its non-blank lines with their shapes
    doc_freq: Counter = Counter()
    for source in sources:
        lines = [line for line in Document(source.text).lines if not line.is_blank]
        shapes = [_shape(line) if _usable(line, options) else None for line in lines]
        docs.append((source, lines, shapes))
        doc_freq.update({s for s in shapes if s})
    needed = max(options.min_docs, options.min_share * len(sources))
    repeated = {shape for shape, count in doc_freq.items() if count >= needed}

    # Runs of repeated lines in each document; a run that recurs often enough is a block.
    run_freq: Counter = Counter()
    doc_runs = []
    for source, lines, shapes in docs:
        runs, current = [], []
        for index, shape in enumerate(shapes):
            if shape in repeated:
                current.append(index)
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        doc_runs.append(runs)
        run_freq.update({tuple(shapes[i] for i in run) for run in runs if 1 < len(run) <= options.max_block_lines})
    blocks = {run for run, count in run_freq.items() if count >= needed}

    proposals: dict[tuple, Proposal] = {}
    for (source, lines, shapes), runs in zip(docs, doc_runs):
        seen_here: set[tuple] = set()
        for run in runs:
            key_run = tuple(shapes[i] for i in run)
            pieces = [run] if key_run in blocks else [[i] for i in run]
            for piece in pieces:
                key = tuple(shapes[i] for i in piece)
                kind = "block" if len(piece) > 1 else "phrase"
                proposal = proposals.setdefault((kind, key), Proposal(kind, site, key, []))
                text = "\n".join(lines[i].text.strip() for i in piece)
                if text not in proposal.variants:
                    proposal.variants.append(text)
                if (kind, key) not in seen_here:
                    seen_here.add((kind, key))
                    proposal.docs.append(source.label)
                    proposal.positions.append(piece[0] / max(1, len(lines) - 1))
    result = []
    for proposal in proposals.values():
        if len(proposal.docs) < needed:
            continue  # a line of a block that is seldom found outside it
        if proposal.kind == "phrase" and len({_key_of(v) for v in proposal.variants}) > 1:
            proposal.kind = "line"  # spellings differ in their numbers: a regex with \d+
        result.append(proposal)
    result.sort(key=lambda p: (sum(p.positions) / len(p.positions), p.shapes))
    article_lines = _article_lines(docs, doc_freq, options.keep_examples)
    return result, article_lines


def _key_of(text: str) -> str:
    return phrase_key(text)


def _article_lines(docs, doc_freq: Counter, wanted: int) -> list[str]:
    """A few paragraphs of the site's articles, for keep examples: from each of the first documents,
    its longest prose line found on that document only (a caption or a byline is shorter)."""
    picked = []
    for _, lines, shapes in docs:
        unique = [line for line, shape in zip(lines, shapes) if shape and doc_freq[shape] == 1 and line.is_prose]
        if unique:
            picked.append(max(unique, key=lambda line: (line.n_words, -line.index)).text.strip())
        if len(picked) >= wanted:
            break
    return picked


# ---------------------------------------------------------------------------------------------------
# Writing the rule file.


def _regex_literal(text: str) -> str:
    """`text` as an RE2 pattern matching it literally; spaces stay readable (Python's re.escape
    escapes them)."""
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in text)


_EDGE = r"[\s.:!?…»«›‹>|–—→·•-]*"  # the decoration phrase rules ignore at either end of a line


def _line_pattern(text: str, variants: list[str] = ()) -> str:
    """A full-line pattern (case-insensitive, like all patterns): the line as a reader sees it, any
    number where it has one, and the decoration phrase comparison ignores at an end where the line or
    one of its `variants` has some."""
    plain = plain_text(text)
    core = plain.strip(_TRIM)
    pattern = r"\d+".join(_regex_literal(p) for p in _DIGITS.split(core))
    spellings = [plain] + [plain_text(v) for v in variants]
    if any(s.lstrip(_TRIM) != s for s in spellings):
        pattern = _EDGE + pattern
    if any(s.rstrip(_TRIM) != s for s in spellings):
        pattern = pattern + _EDGE
    return pattern


def _slug(text: str, limit: int = 6) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words[:limit])


@dataclass
class Learned:
    spec: dict
    count: int
    total: int
    docs: list[str]


def build_rule(proposal: Proposal, total: int, article_lines: list[str], taken: set[str]) -> Learned:
    """The rule mapping for one proposal (validated by the loader when the file is read)."""
    where = f"pages of {proposal.site}" if proposal.site else "pages without a site"
    first = proposal.variants[0]
    headline = " / ".join(plain_text(line) for line in first.split("\n"))
    if len(headline) > 70:
        headline = headline[:67] + "..."
    base = "-".join(p for p in ("learned", _slug(proposal.site or ""), _slug(first) or "line") if p)
    rule_id, n = base, 2
    while rule_id in taken:
        rule_id, n = f"{base}-{n}", n + 1
    taken.add(rule_id)
    spec: dict = {
        "id": rule_id,
        "description": f"Repeated on {where}: {headline}",
        "reason": f"repeated on {len(proposal.docs)} of {total} {where}",
        "kind": proposal.kind,
    }
    if proposal.site:
        spec["sites"] = [proposal.site]
    if proposal.kind == "phrase":
        spec["phrases"] = [plain_text(first)]  # as a reader sees it: phrases ignore Markdown decoration
    elif proposal.kind == "line":
        spec["pattern"] = _line_pattern(first, proposal.variants)
    else:
        lines = first.split("\n")
        spec["start"] = _line_pattern(lines[0])
        spec["end"] = _line_pattern(lines[-1])
        spec["max_lines"] = len(lines) - 1
    spec["examples"] = {"remove": proposal.variants[:3], "keep": list(article_lines)}
    return Learned(spec, len(proposal.docs), total, proposal.docs)


def learn(sources: Iterable[Source], options: Options = Options()) -> list[Learned]:
    """The rules proposed for every site found in `sources` (documents without a site form one group)."""
    by_site: dict[str | None, list[Source]] = defaultdict(list)
    for source in sources:
        by_site[source.site].append(source)
    learned: list[Learned] = []
    taken: set[str] = set()
    for site in sorted(by_site, key=lambda s: (s is None, s or "")):
        group = by_site[site]
        proposals, article_lines = learn_site(group, site, options)
        learned += [build_rule(p, len(group), article_lines, taken) for p in proposals]
    return learned


def checked(learned: list[Learned]) -> tuple[list[Learned], list[str]]:
    """Run each rule's examples; drop a keep example it fails, and a rule whose remove examples fail
    (so the written file always passes `cleaner rules test`). Returns the rules and what was dropped."""
    from .examples import check_examples
    from .ruleset import build_rule as load_rule

    kept, notes = [], []
    for item in learned:
        failures = check_examples(load_rule(item.spec, "learned"))
        bad_keep = {f.example for f in failures if f.side == "keep"}
        if any(f.side == "remove" for f in failures):
            notes.append(f"rule {item.spec['id']}: dropped, its own lines do not test as removed")
            continue
        if bad_keep:
            item.spec["examples"]["keep"] = [k for k in item.spec["examples"]["keep"] if k not in bad_keep]
        kept.append(item)
    return kept, notes


def render(learned: list[Learned], options: Options, documents: int) -> str:
    """The rule file: a header saying how it was made, then each rule with its count and example
    documents as comments, for review."""
    out = [
        "# Rules learned by `cleaner learn`: lines and blocks repeated across the pages of a site.",
        f"# {documents} documents read; a line is proposed when it is on at least {options.min_docs} documents",
        f"# and on at least {options.min_share:.0%} of its site's documents.",
        "# Review before use: delete any rule whose text belongs to the articles.",
        "# Check with: cleaner rules test --rules THIS_FILE --no-default-rules",
    ]
    if any("sites" not in item.spec for item in learned):
        out.append("# Rules without `sites:` come from documents whose site is unknown: they apply to every page.")
    if not learned:
        out.append("rules: []")
        return "\n".join(out) + "\n"
    out.append("rules:")
    for item in learned:
        where = f"documents of {item.spec['sites'][0]}" if "sites" in item.spec else "documents without a site"
        out.append(f"  # on {item.count} of {item.total} {where} ({item.count / item.total:.0%}), e.g.:")
        out += [f"  #   {doc}" for doc in item.docs[:3]]
        dumped = yaml.safe_dump([item.spec], sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
        out += ["  " + line if line else line for line in dumped.rstrip("\n").split("\n")]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
