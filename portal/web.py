"""Request plumbing: the database session, security headers, template globals, error pages."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, TooManyRequests
from werkzeug.wrappers import Response

from portal.extensions import db, login_manager
from portal.i18n import (
    LOCALES,
    current_info,
    lang_is_for_this_request,
    may_be_logged_in,
    normalise,
)
from portal.ids import IdConverter

# The one inline stylesheet the portal allows: vendored Cytoscape puts it into <head> on every
# map page. Its hash admits exactly this text and no other inline style (no 'unsafe-inline');
# tests/unit/test_csp.py checks the vendored file still injects it.
CYTOSCAPE_STYLESHEET = ".__________cytoscape_container { position: relative; }"


def style_hash(stylesheet: str) -> str:
    """Return the CSP source that allows exactly this inline stylesheet."""
    import base64
    import hashlib

    digest = hashlib.sha256(stylesheet.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


CSP = (
    "default-src 'self'; script-src 'self'; "
    f"style-src 'self' {style_hash(CYTOSCAPE_STYLESHEET)}; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not do this"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("Conflict"),
    413: _l("The upload is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
ERROR_TEXTS = {
    400: _l("Check the address or the form and try again."),
    403: _l("Your role does not allow this action. Ask your city's coordinator."),
    404: _l("There is no page at this address, or it is not visible to you."),
    405: _l("Go back and use the buttons of the page."),
    409: _l("This conflicts with something already stored."),
    413: _l("Send a smaller file."),
    429: _l("Please wait a minute before trying again."),
    500: _l("The error has been logged. Please try again later."),
}
API_LOGIN = _l("Log in to use the API.")  # the 401 text the API views use too
# The `error` member of a JSON error under /api/: stable names a client can branch on.
API_ERRORS = {
    400: "bad_request", 401: "login_required", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 429: "too_many_requests",
    500: "server_error",
}


class NulCharacter(BadRequest):
    """A request carrying U+0000, which no database column can store (PostgreSQL refuses it)."""

    text = _l("The address or a form field contains a NUL character. Remove it and try again.")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Turn on foreign keys and write-ahead logging for SQLite."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def _nul_in(value: Any) -> bool:
    """Return True when a string, or any key or value of parsed JSON, holds U+0000."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _refuse_nul() -> None:
    """Refuse U+0000 at the edge: path, query string, form fields, file names, JSON body."""
    texts: list[Any] = [request.path]
    for pairs in (request.args, request.form):
        for key, value in pairs.items(multi=True):
            texts += (key, value)
    texts += [upload.filename or "" for upload in request.files.values()]
    if request.is_json:
        with suppress(RecursionError):  # nested too deep to parse: the view refuses it anyway
            texts.append(request.get_json(silent=True))
    if any(_nul_in(text) for text in texts):
        raise NulCharacter()


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def _commit(response: Response) -> Response:
    """The one commit of a request: keep the changes of a success, drop those of an error."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _remember_language() -> None:
    """An explicit ?lang= also becomes the logged-in user's preference (not a preview's)."""
    code = normalise(request.args.get("lang"))
    if code and not lang_is_for_this_request() and may_be_logged_in() \
            and current_user.is_authenticated and current_user.preferred_locale != code:
        current_user.preferred_locale = code


def _template_globals() -> dict[str, Any]:
    return {
        "locale_info": current_info(),
        "locales": LOCALES,
        "get_locale": get_locale,
        "current_city": g.get("city"),
        # The proxy, not the user: pages that never look (the residents') load no user. A
        # visitor with no login is not looked up at all: loading one writes Flask-Login's
        # "_fresh" into a session that had none, and that reply's cookie, built from the
        # session as this request read it, can land after a newer one and undo it (a
        # favicon 404 racing the consent page dropped its CSRF token: the start got 400).
        "current_user": current_user if may_be_logged_in() else login_manager.anonymous_user(),
    }


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _api_error(code: int, text: Any, headers: dict[str, str]) -> Response:
    """Return an API error as JSON: {"error": name, "message": translated text}."""
    fallback = 500 if code >= 500 else 400
    response = jsonify(error=API_ERRORS.get(code, API_ERRORS[fallback]), message=str(text))
    response.status_code = code
    response.headers.update(headers)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _error_page(error: HTTPException) -> tuple[str, int, dict[str, str]] | Response:
    """Render an HTTP error: the translated page, or JSON under /api/.

    Nothing here reads the URL's city or queries with a value of the request: the page of a
    city the user may not see equals that of a city that does not exist (i18n.select_locale),
    and a value the database would refuse cannot fail the error page too.
    """
    code = error.code or 500
    db.session.rollback()
    title = ERROR_TITLES.get(code, ERROR_TITLES[500 if code >= 500 else 400])
    text = ERROR_TEXTS.get(code, ERROR_TEXTS[500 if code >= 500 else 400])
    if isinstance(error, CSRFError):
        text = _l("The form has expired or was sent from elsewhere. Reload the page and try again.")
    elif isinstance(error, NulCharacter):
        text = error.text
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if isinstance(error, RateLimitExceeded):  # at most one window away, without a storage call
        headers["Retry-After"] = str(error.limit.limit.get_expiry())
    elif isinstance(error, TooManyRequests) and error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)  # the residents' limits (ratelimit.py)
    if _is_api():
        return _api_error(code, API_LOGIN if code == 401 else text, headers)
    return render_template("errors/error.html", code=code, title=title, text=text), code, headers


def _internal_error(error: Exception) -> tuple[str, int] | Response:
    current_app.logger.exception("Unhandled error", exc_info=error)
    db.session.rollback()
    if _is_api():
        return _api_error(500, ERROR_TEXTS[500], {})
    return render_template(
        "errors/error.html", code=500, title=ERROR_TITLES[500], text=ERROR_TEXTS[500]
    ), 500


def init_app(app: Flask) -> None:
    """Attach hooks, globals and error handlers to the app."""
    # Before the blueprints are registered: their rules look the converter up when added.
    app.url_map.converters["id"] = IdConverter
    # First of all hooks (CSRF and the limiter registered theirs already): no code sees a NUL.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_nul)
    app.before_request(_remember_language)
    app.after_request(_commit)
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    app.register_error_handler(HTTPException, _error_page)
    if not app.config.get("TESTING") or app.config.get("CATCH_ERRORS"):
        app.register_error_handler(Exception, _internal_error)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
