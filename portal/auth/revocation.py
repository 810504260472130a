"""Sessions that can be revoked: a per-user epoch, copied into the session at login.

The session cookie is signed, not stored, so the server cannot delete a copy of it. Instead each
login copies the user's ``session_epoch`` into the session, and the user loader (run on every
request that looks at the user) refuses a session whose epoch is not the user's current one.
Bumping the epoch therefore ends every session made before: on logout (so a copied cookie dies
with the original, and the user's other devices are logged out too), on a password change and
"log out on all other devices" (the current session is given the new epoch and goes on), when
a role is removed and when the account is switched off.
"""

from __future__ import annotations

from flask import session
from flask_login import login_user, logout_user

from portal.auth.bearer import is_bearer_request
from portal.auth.services import end_sessions
from portal.extensions import db, login_manager
from portal.ids import parse_id
from portal.models import User

EPOCH_KEY = "_epoch"
LOGIN_KEYS = ("_user_id", "_fresh", "_id", EPOCH_KEY)  # Flask-Login's, then ours
# The data entry mode (portal.surveys.field.entry) ends with a logout; a session that ends
# otherwise (role removed, account switched off) keeps it, so its next send is refused.
DATA_ENTRY_KEY = "pe"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the session's user while the session's epoch is the user's current one.

    A request with a Bearer header is its token's (portal.auth.bearer), never a session's.
    """
    if is_bearer_request():
        return None
    number = parse_id(user_id)
    user = db.session.get(User, number) if number is not None else None
    if user is None or session.get(EPOCH_KEY) != user.session_epoch:
        for key in LOGIN_KEYS:
            session.pop(key, None)
        return None
    return user


def log_in(user: User) -> None:
    """Log the user in with a session of the current epoch."""
    login_user(user)
    session[EPOCH_KEY] = user.session_epoch


def log_out(user: User) -> None:
    """Log out, ending this session and every copy and sibling of it."""
    end_sessions(user)
    logout_user()
    session.pop(EPOCH_KEY, None)
    session.pop(DATA_ENTRY_KEY, None)


def keep_this_session(user: User) -> None:
    """After end_sessions, let the current session go on with the new epoch."""
    session[EPOCH_KEY] = user.session_epoch
