"""A small least-recently-used store of derived views, one per app and purpose, thread-safe.

Callers key every entry on everything the stored value shows (revisions read from the
database, language, names): an entry is never stale, and no app server can serve an older
view than the database holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask

_creating = threading.Lock()


class Memo:
    """A locked LRU of built values; a key of None means "do not keep"."""

    def __init__(self, size: int = 32) -> None:
        self.size, self.lock = size, threading.Lock()
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable | None, build: Callable[[], Any]) -> Any:
        """Return the stored value for key, building (and storing) it on a miss."""
        if key is None:
            return build()
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = build()  # outside the lock: two threads may build the same value, both correct
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


def app_memo(app: Flask, name: str, size: int = 32) -> Memo:
    """Return the app's memo called ``name`` (created once; never shared between apps)."""
    found = app.extensions.get(name)
    if found is None:
        with _creating:
            found = app.extensions.setdefault(name, Memo(size))
    return found
