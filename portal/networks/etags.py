"""ETag / 304 and pre-compressed bodies for the network's JSON (map data, actor details, API).

A tag names everything a response shows: the analysis key (city, round, filter, network
revision, which every change to the map bumps), the city's name, the round's name and date,
the language, the analysis settings and the response's own kind. It is checked before the
analysis is even loaded, so a client that already holds the data costs one small query.
Tags are weak (W/"…"): the same data sent raw, gzip or brotli is the same representation.

Bodies of the map data are compressed once per tag and encoding, and kept in the app's map
memo beside the raw body; Flask-Compress (portal.extensions.compress) leaves a response that
already has a Content-Encoding alone and compresses every other HTML and JSON response.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable

import brotli
from flask import current_app, request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from portal.models import City
from portal.networks import services
from portal.networks.mapdata import memo_for

ENCODINGS = ("br", "gzip")
CACHE_CONTROL = "private, no-cache"  # kept by the browser, revalidated on every use


def tag(what: str, city: City, filters: services.Filters, *extra: object) -> str:
    """Return the ETag value (without quotes) of one view of the cached analysis."""
    chosen = filters.round
    config = current_app.config
    parts = (what, services.analysis_key(city, filters), city.slug, city.name,
             None if chosen is None else (chosen.name, chosen.held_on.isoformat()),
             str(get_locale()), config["ANALYSIS_EXACT_UP_TO"], config["ANALYSIS_PIVOTS"],
             *extra)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def not_modified(etag: str) -> Response | None:
    """Return the 304 answer when the client's If-None-Match holds this tag, else None."""
    if not request.if_none_match.contains_weak(etag):
        return None
    response = current_app.response_class(status=304)
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def tagged(response: Response, etag: str) -> Response:
    """Give a 200 response its weak ETag and the revalidate-every-time cache policy."""
    if response.status_code != 200:
        return response
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def chosen_encoding() -> str | None:
    """Return the best encoding the client accepts (brotli first), or None for identity."""
    best = request.accept_encodings.best_match(ENCODINGS)
    return best if best in ENCODINGS else None


def compress(body: bytes, encoding: str) -> bytes:
    """Return body compressed with brotli or gzip (Flask-Compress's levels)."""
    config = current_app.config
    if encoding == "br":
        return bytes(brotli.compress(body, quality=config["COMPRESS_BR_LEVEL"]))
    return gzip.compress(body, compresslevel=config["COMPRESS_LEVEL"], mtime=0)


def memoised_body(etag: str, build: Callable[[], str], mimetype: str) -> Response:
    """Return a response of the body for this tag, compressed once per encoding and kept.

    Only the encoding asked for is kept (a 10,000-actor network is 7.6 MB of JSON, 0.6 MB
    with brotli): the raw body is kept only for the rare client that accepts no compression.
    """
    memo = memo_for(current_app)
    encoding = chosen_encoding()
    if encoding is None:
        response = current_app.response_class(
            memo.get(("body", etag), lambda: build().encode("utf-8")), mimetype=mimetype)
    else:
        packed = memo.get(("body", etag, encoding),
                          lambda: compress(build().encode("utf-8"), encoding))
        response = current_app.response_class(packed, mimetype=mimetype)
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    return tagged(response, etag)
