"""Accounts: login, logout, password change, invitations, roles and city scoping."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import revocation, views  # noqa: E402,F401  (revocation: the user loader)
