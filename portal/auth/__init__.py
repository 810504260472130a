"""Accounts: login, logout, password change, invitations, roles and city scoping."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import views  # noqa: E402,F401
