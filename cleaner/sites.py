"""Which site a document came from, so that rules scoped with `sites:` apply to it: a folder named like
a host (scraped/example.com/...), or a record's url."""
from __future__ import annotations

import re
from pathlib import Path

_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", re.IGNORECASE)


def site_from_path(relative: Path) -> str | None:
    """A folder named like a host (example.com/...) tells which site a file came from."""
    for part in relative.parts[:-1]:
        if _HOST.match(part):
            return part.lower()
    return None


def site_of_url(url) -> str | None:
    """The host of a record's url, without www."""
    if not isinstance(url, str):
        return None
    match = _URL_HOST.match(url.strip())
    return match.group(1).lower().removeprefix("www.") if match else None
