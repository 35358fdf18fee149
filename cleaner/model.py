"""The values that flow out of the engine: spans found by rules, removals, the result."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of the document text [start, end) that one rule wants removed."""

    start: int
    end: int
    rule: str = field(compare=False)
    reason: str = field(compare=False, default="")
    # For a run of lines found from one line (a block's start, a teaser list's marker): that line's
    # offset: lines inside the run where another family's rule begins are that rule's
    # (src/engine.rs's families_apart).
    anchor: int = field(compare=False, default=-1)


@dataclass(frozen=True)
class Removal:
    rule: str
    file: str  # the rule file the rule came from
    start: int  # character offsets into the decoded input text
    end: int
    line: int  # 1-based line number of `start`
    text: str
    reason: str
    # HTML selector removals only: the removed node's path in the page's DOM. Their start/end are -1
    # (and line 0): the node never reaches the extracted text, so no offset into it exists.
    node: str | None = None

    def to_dict(self) -> dict:
        # By hand, not dataclasses.asdict(): asdict deep-copies every field, and a batch serialises
        # millions of removals (it was a third of the report's cost). Keys in field order.
        record = {
            "rule": self.rule, "file": self.file, "start": self.start, "end": self.end,
            "line": self.line, "text": self.text, "reason": self.reason,
        }
        if self.node is not None:
            record["node"] = self.node
        return record


@dataclass(frozen=True)
class Result:
    text: str
    removals: list[Removal]
    chars_in: int
    status: str = "cleaned"  # "cleaned" | "unchanged" | "guarded"
    guard: str | None = None  # with status "guarded": why (see guardrail.py), for the report

    @property
    def chars_out(self) -> int:
        return len(self.text)
