"""`Authorization: Bearer lpn_…` on /api/v1/: who the token is, and what it may not do.

Flask-Login's request loader turns a working token into its user, on /api/v1/ only: a token
never opens an HTML page (there the header is ignored and the visitor is anonymous). A request
carrying a Bearer header is never read from, nor given, a session cookie
(portal.auth.revocation, portal.sessions), so a script cannot pick up or leave a login behind.
"""

from __future__ import annotations

from flask import Request, abort, g, has_request_context, request
from flask_login import current_user

from portal.auth import tokens
from portal.extensions import login_manager
from portal.models import ApiToken, City, User

API_PREFIX = "/api/v1/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_secret(req: Request) -> str | None:
    """Return the secret of an `Authorization: Bearer …` header, or None when there is none."""
    scheme, _sep, secret = req.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def is_bearer_request() -> bool:
    """Return True inside a request that carries a Bearer header (any path)."""
    return has_request_context() and bearer_secret(request) is not None


@login_manager.request_loader
def load_token_user(req: Request) -> User | None:
    """Return the user of a working token on /api/v1/; remember the token for this request."""
    if not req.path.startswith(API_PREFIX):
        return None
    secret = bearer_secret(req)
    token = tokens.token_for(secret) if secret else None
    if token is None:
        return None
    g.api_token = token
    return token.user


def current_token() -> ApiToken | None:
    """Return the token this request was authenticated with, or None (a session, or nobody)."""
    if not has_request_context():
        return None
    current_user._get_current_object()  # loading the user finds the token
    token: ApiToken | None = g.get("api_token")
    return token


def token_allows(city: City) -> bool:
    """Return False when the request's token does not name this city (True without a token)."""
    token = current_token()
    return token is None or city.id in tokens.city_ids(token)


def refuse_token_writes() -> None:
    """Answer 403 to a read-only token that tries a write (any method but GET/HEAD/OPTIONS)."""
    token = current_token()
    if token is not None and not token.read_write and request.method not in SAFE_METHODS:
        abort(403)


def client_key() -> str:
    """Return who an API request counts against: its token, else its address."""
    from flask_limiter.util import get_remote_address

    token = current_token()
    return f"token:{token.id}" if token is not None else f"address:{get_remote_address()}"
