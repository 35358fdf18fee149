"""Paths and small helpers shared by the test modules."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def nonempty_lines(text: str) -> list[str]:
    """What the seed acceptance compares: the non-empty lines, each stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def word_counts(text: str) -> Counter:
    from cleaner.document import words

    return Counter(words(text))


def fixture_pairs(folder: str) -> list[tuple[Path, Path]]:
    base = FIXTURES / folder
    return [(raw, base / "expected" / raw.name) for raw in sorted((base / "raw").glob("*.txt"))]


def processes_mentioning(marker: str) -> list[int]:
    """Pids of this machine's processes (other than this one) whose command line holds `marker`."""
    import os

    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture(scope="session")
def shipped_rules():
    import cleaner

    return cleaner.load_rules()
