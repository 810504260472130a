"""The session cookie: Flask's signed cookie, in Flask's own format, with less work per request.

Flask's SecureCookieSessionInterface builds a new signing serializer for every read and every
write of the cookie, always tries zlib on the payload, and walks the decoded JSON again in
Python to restore tagged values. The cookie this interface writes is byte-for-byte a cookie
Flask can read (and it reads Flask's), with three differences in the work done:

- the signing serializer is built once per set of secret keys (SECRET_KEY, then
  SECRET_KEY_FALLBACKS), not once per use;
- a payload shorter than COMPRESS_FROM bytes is not passed through zlib: at that size
  compression hardly ever makes the cookie shorter, and deflate's set-up costs more than the
  rest of the encoding;
- tagged values (tuple, bytes, Markup, UUID, datetime) are restored by ``json.loads``'s
  object hook, in the same inner-first order as Flask's scan.

On the residents' pages the cookie is read and written on nearly every request (their answers
in progress live in it: portal.surveys.answering.state), which is where this is measured
(benchmarks/submit_bench.py).
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer

COMPRESS_FROM = 512  # bytes of JSON; shorter payloads are signed as they are


class TaggedJSON(TaggedJSONSerializer):
    """Flask's tagged JSON, decoded with an object hook instead of a second walk in Python."""

    def dumps(self, value: Any) -> str:
        """Tag the value and dump it to compact JSON (other types as Flask's JSON dumps them)."""
        return json.dumps(self.tag(value), separators=(",", ":"),
                          default=DefaultJSONProvider.default)

    def loads(self, value: str | bytes) -> Any:
        """Load JSON, untagging every object as it is decoded (innermost first)."""
        return json.loads(value, object_hook=self.untag)


class CookieSerializer(URLSafeTimedSerializer):
    """URL-safe, timed and signed, like Flask's; zlib only for payloads worth compressing."""

    def dump_payload(self, obj: Any) -> bytes:
        """Return the base64 payload, zlib-compressed (marked by a leading ".") when it pays.

        The same format as itsdangerous's URLSafeSerializerMixin, whose load_payload reads it.
        """
        data = Serializer.dump_payload(self, obj)
        if len(data) >= COMPRESS_FROM:
            compressed = zlib.compress(data)
            if len(compressed) < len(data) - 1:
                return b"." + base64_encode(compressed)
        return base64_encode(data)


class PortalSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, with its signing serializer built once per key set."""

    serializer = TaggedJSON()

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        """Save as Flask does, except that a request with a Bearer token gets no cookie."""
        scheme = request.headers.get("Authorization", "").partition(" ")[0]
        if scheme.lower() == "bearer":  # a script's API call (portal.auth.bearer)
            return
        super().save_session(app, session, response)

    def __init__(self) -> None:
        self._signing: tuple[tuple[Any, ...], URLSafeTimedSerializer] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the serializer for the app's current keys (a key change builds a new one)."""
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        cached = self._signing
        if cached is not None and cached[0] == keys:
            return cached[1]
        signing = CookieSerializer(
            list(keys),  # itsdangerous: the current key last
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={"key_derivation": self.key_derivation,
                           "digest_method": self.digest_method},
        )
        self._signing = (keys, signing)
        return signing
