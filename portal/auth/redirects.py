"""Where a `next` parameter may send the browser: same-site paths only."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Return the target if it is a path on this site, else None.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    ``/\\t/evil.example`` and ``/\\evil.example`` lead off-site: any control or space
    character, and any backslash, refuses the target rather than being cleaned away.
    """
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in target):
        return None
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return None
    return target
