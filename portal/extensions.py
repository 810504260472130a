"""Extension singletons, bound to the app in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from portal.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
compress = Compress()
# Limiter state lives in memory for one process (`make run`); with several gunicorn workers or
# servers, set PORTAL_RATELIMIT_STORAGE_URI=redis://… (else each worker counts on its own). The
# client address is used only in this counter, never stored.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
