"""The values that flow out of the engine: spans found by rules, removals, the result."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of the document text [start, end) that one rule wants removed."""

    start: int
    end: int
    rule: str = field(compare=False)
    reason: str = field(compare=False, default="")


@dataclass(frozen=True)
class Removal:
    rule: str
    file: str  # the rule file the rule came from
    start: int  # character offsets into the decoded input text
    end: int
    line: int  # 1-based line number of `start`
    text: str
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Result:
    text: str
    removals: list[Removal]
    chars_in: int
    status: str = "cleaned"  # "cleaned" | "unchanged" | "guarded"

    @property
    def chars_out(self) -> int:
        return len(self.text)
