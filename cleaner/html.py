"""HTML input: decode, extract the article text with trafilatura, then clean it like any text."""
from __future__ import annotations

import trafilatura

from .decode import decode_bytes
from .engine import clean
from .model import Result
from .ruleset import RuleSet


def extract_text(html: str) -> str:
    """The main text of a page as trafilatura extracts it ('' when it finds none)."""
    text = trafilatura.extract(html, include_comments=False, include_tables=True)
    return text or ""


def clean_html(html: bytes | str, rules: RuleSet | None = None, site: str | None = None) -> Result:
    """Extract and clean one page. Removal offsets refer to the extracted text."""
    if isinstance(html, bytes):
        html = decode_bytes(html, is_html=True)
    return clean(extract_text(html), rules=rules, site=site)
