"""The matching key of a name: what "the same name" means to people, in any script.

SQLite's lower() folds ASCII only ("Ромски" and "ромски" differ there), so the portal stores
this key beside every stakeholder, area and round name and compares keys, never lower(name).
"""

from __future__ import annotations

import unicodedata


def name_key(text: str | None) -> str:
    """Return the key of a name: NFKC-normalised, Unicode case-folded, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    # Folding can un-compose (ß → ss is fine, but İ → i̇): normalise once more.
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def like_pattern(query: str) -> str:
    r"""Return a LIKE pattern matching keys that contain the query's key (escape with \)."""
    escaped = name_key(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
