"""Accounts: login, logout, password change, invitations, roles and city scoping."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("auth", __name__)

from portal.auth import (  # noqa: E402,F401  (revocation, bearer: the user loaders)
    bearer,
    revocation,
    views,
    views_resets,
    views_tokens,
)
from portal.auth.scoping import public  # noqa: E402


@bp.record_once
def _mark_static(state: BlueprintSetupState) -> None:
    """Mark Flask's own static view public, like every other view of the app is marked."""
    app = state.app
    send = app.view_functions.get("static")
    if send is None:
        return

    def static(**kwargs: Any) -> Any:  # Flask's is a bound method, which takes no attribute
        return send(**kwargs)

    app.view_functions["static"] = public(static)
