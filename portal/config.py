"""Configuration: defaults, then instance/config.py, then PORTAL_* environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from flask import Flask

WEAK_SECRETS = {"", "dev", "secret", "changeme", "change-me", "development", "test", "password"}
MIN_SECRET_LENGTH = 32
MIN_DISCLOSURE_THRESHOLD = 5
PROXY_HEADERS = ("for", "proto", "host", "port", "prefix")
REDIS_TIMEOUT = 1.0  # seconds


class Defaults:
    """Settings that hold unless the instance file or the environment says otherwise."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # set from the instance path at start-up
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    RATELIMIT_STORAGE_URI = "memory://"
    # Off: X-RateLimit-* on every limited response cost two more storage round trips each;
    # a 429 still says Retry-After (portal.web._error_page).
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = "10 per minute"
    # Every /api/v1/ request, all endpoints together, per API token (per address without one).
    API_RATE_LIMIT = "120 per minute"
    # Every request to the OpenRosa server (/odk/, ODK Collect devices), per client address.
    ODK_RATE_LIMIT = "120 per minute"
    # Werkzeug's generate_password_hash method. Production keeps the default (scrypt); the
    # tests set a cheap one, since hundreds of scrypt hashes cost a minute.
    PASSWORD_HASH_METHOD = "scrypt"
    INVITATION_LIFETIME_DAYS = 7
    DEFAULT_DISCLOSURE_THRESHOLD = 10
    PREFERRED_URL_SCHEME = "http"
    # Trusted proxies: how many proxies in front of the app set each X-Forwarded-* header
    # (Werkzeug's ProxyFix). 0, the default, ignores the headers: a client could forge them.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0
    # Flask-Limiter counts in this process while its storage (Redis) is unreachable.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Network analysis: betweenness and closeness are exact up to this many actors, and
    # estimated from ANALYSIS_PIVOTS sampled actors (fixed seed) above it; the page and the
    # API state the estimate's standard error. Takes effect at the map's next change.
    ANALYSIS_EXACT_UP_TO = 10_000
    ANALYSIS_PIVOTS = 3_000
    # Above this many actors a map not yet analysed is analysed by a background job; its
    # pages show the job's progress meanwhile (portal/networks/pending.py).
    ANALYSIS_INLINE_UP_TO = 2_000
    # Responses above which a survey's aggregates are built and folded by a job, never inline.
    RESULTS_INLINE_UP_TO = 20_000
    # Responses compressed (Flask-Compress), brotli preferred, negotiated by Accept-Encoding.
    # Streamed responses (exports) are never compressed.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_STREAMS = False
    COMPRESS_MIMETYPES = ["text/html", "application/json", "image/svg+xml", "text/css",
                          "text/javascript", "application/javascript", "text/plain"]
    COMPRESS_BR_LEVEL = 4
    # Background jobs (portal.jobs, Huey). JOBS_URL: empty = a SQLite file in instance/
    # (embedded: `make run` starts a worker beside the server), `redis://…` for workers on
    # other machines, `immediate` = Huey's immediate mode (tests only).
    JOBS_URL = ""
    JOBS_NAME = "portal"  # the queue's name in its storage (two portals may share a Redis)
    JOBS_FILES_DIR = ""  # empty: instance/jobs/
    JOBS_FILE_HOURS = 24  # an export file not downloaded by then is deleted
    JOBS_EXPORT_ABOVE = 2000  # responses: a larger microdata export runs as a job
    JOBS_IMPORT_ABOVE = 2000  # rows: a larger stakeholder import is applied by a job
    JOBS_XLSFORM_ABOVE = 200_000  # bytes (form + choice files): a larger XLSForm import is a job
    JOBS_MAX_ATTEMPTS = 3  # runs of a job that keeps failing unexpectedly
    JOBS_RETRY_DELAY_SECONDS = 10
    JOBS_HEARTBEAT_SECONDS = 5  # a running job reports itself alive this often
    JOBS_REQUEUE_MINUTES = 5  # queued this long: its queue message is sent again (a lost one)
    JOBS_STALE_SECONDS = 60  # silent this long: its worker is lost and the job runs again


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config in order: defaults, instance/config.py, PORTAL_* environment or
    test_config."""
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "portal.sqlite3"
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("PORTAL")
        if "DATABASE_URL" in app.config:
            app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    else:
        app.config.from_mapping(test_config)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis://", "rediss://")):
        # A Redis that does not answer must not hold a request for the OS's TCP timeout.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT})
    validate_config(app.config)
    validate_hash_method(app.config)
    trust_proxies(app)


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def validate_config(config: dict[str, Any]) -> None:
    """Refuse to start outside tests with a missing or weak secret key."""
    if config.get("TESTING"):
        return
    secret = config.get("SECRET_KEY") or ""
    if not isinstance(secret, str | bytes) or len(secret) < MIN_SECRET_LENGTH or (
        str(secret).lower() in WEAK_SECRETS
    ):
        raise ConfigError(
            "SECRET_KEY is missing or weak: set a random value of at least "
            f"{MIN_SECRET_LENGTH} characters in instance/config.py or PORTAL_SECRET_KEY "
            "(`make run` generates one)."
        )
    threshold = int(config.get("DEFAULT_DISCLOSURE_THRESHOLD", 10))
    if threshold < MIN_DISCLOSURE_THRESHOLD:
        raise ConfigError(
            f"DEFAULT_DISCLOSURE_THRESHOLD may not be below {MIN_DISCLOSURE_THRESHOLD}.")


def validate_hash_method(config: dict[str, Any]) -> None:
    """Refuse to start with a password hash method Werkzeug does not know (scrypt, pbkdf2)."""
    method = config.get("PASSWORD_HASH_METHOD")
    if not isinstance(method, str) or method.split(":")[0] not in ("scrypt", "pbkdf2"):
        raise ConfigError("PASSWORD_HASH_METHOD must be a Werkzeug method: scrypt (the "
                          "default; keep it in production) or pbkdf2:….")


def trust_proxies(app: Flask) -> None:
    """Read X-Forwarded-* from the configured number of trusted proxies (none by default).

    The client address that the rate limits count (request.remote_addr) then comes from the
    X-Forwarded-For entry the nearest trusted proxy added, not from anything the client sent.
    """
    counts = {}
    for name in PROXY_HEADERS:
        value = app.config.get(f"PROXY_FIX_X_{name.upper()}", 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ConfigError(f"PROXY_FIX_X_{name.upper()} must be a whole number from 0 to 10.")
        counts[f"x_{name}"] = value
    if any(counts.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)  # type: ignore[method-assign]
