"""Per-client limits of the residents' pages: one counter hit through Flask-Limiter's strategy.

The residents' pages and the survey send are the portal's busiest routes. Flask-Limiter's
decorator resolves, filters and sorts every limit of the route on each request, twice (its
before-request hook, then the decorator), which costs several times the storage round trip
itself (benchmarks/submit_bench.py; README, Resident surveys → Benchmark). These pages have one
limit each, so they hit it directly with the limiter's own strategy and storage: the same
``RATELIMIT_*`` configuration (storage URI, key prefix, enabled), the same fixed windows per
route and client address, and like Flask-Limiter the address is used only in that counter.
Flask-Limiter's own hooks skip these routes (a request filter): they would find no limit there,
and a ``RATELIMIT_DEFAULT`` does not apply to them either. Everything else (the login, the
stakeholders' relationship links) keeps ``@limiter.limit`` and any default limit.

When the storage (Redis) cannot be reached, the count goes on in this process's memory for
RETRY_STORAGE_AFTER seconds, logged once per outage, as Flask-Limiter's in-memory fallback does
for the other routes: a limiter outage never takes the residents' pages down, and each worker
still limits its own share of the traffic.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES, RateLimiter
from werkzeug.exceptions import TooManyRequests

from portal.extensions import limiter

View = TypeVar("View", bound=Callable[..., Any])
MARK = "counted_by_portal_ratelimit"  # set on the views this module limits
RETRY_STORAGE_AFTER = 30.0  # seconds of counting in memory before the storage is tried again


class Fallback:
    """This process's counter for the time the limiter's storage is unreachable."""

    def __init__(self, strategy: str) -> None:
        self.limiter: RateLimiter = STRATEGIES[strategy](MemoryStorage())
        self.retry_at = 0.0  # time.monotonic() from when the storage is tried again
        self.lock = threading.Lock()

    def storage_failed(self) -> None:
        """Count here for a while; log when an outage starts."""
        with self.lock:
            starting = self.retry_at == 0.0
            self.retry_at = time.monotonic() + RETRY_STORAGE_AFTER
        if starting:
            current_app.logger.warning(
                "Rate limit storage unreachable: the residents' limits count in this process's "
                "memory; the storage is tried again every %d s", RETRY_STORAGE_AFTER,
                exc_info=True)

    def storage_answered(self) -> None:
        """The storage works (again): log a recovery."""
        if self.retry_at:
            self.retry_at = 0.0
            current_app.logger.warning("Rate limit storage reachable again")


def _fallback() -> Fallback:
    """Return the app's fallback counter (one per app and process)."""
    extensions = current_app.extensions
    found = extensions.get("portal_ratelimit_fallback")
    if found is None:
        strategy = str(current_app.config.get("RATELIMIT_STRATEGY") or "fixed-window")
        found = extensions.setdefault("portal_ratelimit_fallback", Fallback(strategy))
    return found


@limiter.request_filter
def _counted_here() -> bool:
    """Let Flask-Limiter's own hooks skip the requests whose limit this module counts."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, MARK, False))


@lru_cache(maxsize=32)
def _item(text: str) -> RateLimitItem:
    """Parse a limit such as "20 per minute" once."""
    return parse(text)


def check(setting: str, default: str) -> None:
    """Count this request against the configured limit; raise 429 when it is exceeded."""
    if not limiter.enabled:
        return
    config = current_app.config
    item = _item(str(config.get(setting, default)))
    prefix = config.get("RATELIMIT_KEY_PREFIX", "")
    keys = [str(request.endpoint), get_remote_address()]
    if not _hit(item, [prefix, *keys] if prefix else keys):
        raise TooManyRequests(retry_after=item.get_expiry())


def check_client(setting: str, default: str, client: str) -> None:
    """Count this request for `client` against a limit shared by every route using `setting`.

    The API counts per token (or per address without one), across all its endpoints.
    """
    if not limiter.enabled:
        return
    config = current_app.config
    item = _item(str(config.get(setting, default)))
    prefix = config.get("RATELIMIT_KEY_PREFIX", "")
    keys = [setting, client]
    if not _hit(item, [prefix, *keys] if prefix else keys):
        raise TooManyRequests(retry_after=item.get_expiry())


def _hit(item: RateLimitItem, keys: list[str]) -> bool:
    """Count one hit in the limiter's storage, or in memory while the storage is down."""
    fallback = _fallback()
    if not fallback.retry_at or time.monotonic() >= fallback.retry_at:
        try:
            allowed = limiter.limiter.hit(item, *keys)
        except Exception:  # noqa: BLE001 - whatever the storage raises, the page must answer
            fallback.storage_failed()
        else:
            fallback.storage_answered()
            return allowed
    return fallback.limiter.hit(item, *keys)


def limit(setting: str, default: str, methods: tuple[str, ...] | None = None
          ) -> Callable[[View], View]:
    """Limit a view per client by the configured rate (on ``methods`` only, when given)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            if methods is None or request.method in methods:
                check(setting, default)
            return view(*args, **kwargs)

        setattr(limited, MARK, True)
        return limited  # type: ignore[return-value]

    return decorate
