"""What the end-of-run summary needs of one report record: its digest.

A worker process computes it beside the record's JSON line, so the parent of a parallel batch merges a
few counts per rule instead of unpickling, folding and counting every removal itself (4.5 s of the
parent's CPU on the 59 MB benchmark corpus, competing with the workers for the same cores).
"""
from __future__ import annotations

import re
from typing import NamedTuple

_NUMBER = re.compile(r"[0-9]+")
LISTED_STATUSES = ("failed", "skipped", "guarded")  # the statuses whose documents the summary names


def fold(text: str, limit: int = 120) -> str:
    """A removed text as the summary groups it: whitespace folded, numbers as #, cut at `limit`."""
    # A run of lines can be a page long, and only its start is kept. The fold of any prefix is a prefix
    # of the whole text's fold (a token cut short folds to the start of the whole token's fold, a run
    # of digits cut short to the same #), so once a prefix folds to more than `limit`, that is enough.
    head = text[: _PREFIX * limit]
    folded = _NUMBER.sub("#", " ".join(head.split()))
    if len(folded) <= limit and len(head) < len(text):
        folded = _NUMBER.sub("#", " ".join(text.split()))
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


_PREFIX = 4  # characters of the text folded first, per character of the limit


class RuleTally(NamedTuple):
    """One rule's removals in one record."""

    removals: int
    chars: int
    file: str  # the rule file, as the record's first removal of the rule names it
    texts: dict[str, int]  # folded text -> times, in the order each was first removed
    node_chars: int  # of `chars`, those of HTML elements that never reached the extracted text (no offsets)


class Digest(NamedTuple):
    status: str
    chars_in: int
    chars_out: int
    where: str  # source (and record id) of a failed, skipped or guarded document, else ""
    why: str  # its error or guard
    rules: dict[str, RuleTally]  # in the order each rule first removed something


def digest_of(record: dict) -> Digest:
    status = record["status"]
    where = why = ""
    if status in LISTED_STATUSES:
        where = record["source"] + (f" (record {record['id']})" if "id" in record else "")
        why = record.get("guard" if status == "guarded" else "error", "")
    tallies: dict[str, list] = {}
    for removal in record.get("removals", ()):
        rule = removal["rule"]
        tally = tallies.get(rule)
        if tally is None:
            tally = tallies[rule] = [0, 0, removal.get("file", ""), {}, 0]
        tally[0] += 1
        if removal["start"] < 0:  # a node's text, removed from the page before extraction (no offsets)
            chars = len(removal.get("text", ""))
            tally[4] += chars
        else:
            chars = max(0, removal["end"] - removal["start"])
        tally[1] += chars
        texts = tally[3]
        key = fold(removal.get("text", ""))
        texts[key] = texts.get(key, 0) + 1
    rules = {rule: RuleTally(*tally) for rule, tally in tallies.items()}
    return Digest(status, record.get("chars_in", 0), record.get("chars_out", 0), where, why, rules)
