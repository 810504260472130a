"""LPN Portal: stakeholder mapping, coordination-gap analysis and resident surveys."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)

    from portal.config import load_config

    load_config(app, test_config)

    from portal.sessions import PortalSessionInterface

    app.session_interface = PortalSessionInterface()  # Flask's cookie, built once per key set

    from portal import web
    from portal.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
    from portal.i18n import register_fallback_locales, select_locale

    register_fallback_locales()
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(
            os.path.dirname(app.root_path), "translations"
        ),
    )
    csrf.init_app(app)
    login_manager.init_app(app, add_context_processor=False)  # web.py: a lazy current_user
    limiter.init_app(app)
    compress.init_app(app)
    web.init_app(app)

    from portal.jobs import queue

    queue.init_app(app)

    from portal.admin import bp as admin_bp
    from portal.api import bp as api_bp
    from portal.auth import bp as auth_bp
    from portal.cities import bp as cities_bp
    from portal.jobs import bp as jobs_bp
    from portal.networks import bp as networks_bp
    from portal.plan import bp as plan_bp
    from portal.regions import bp as regions_bp
    from portal.results import bp as results_bp
    from portal.stakeholders import bp as stakeholders_bp
    from portal.surveys import bp as surveys_bp

    for blueprint in (auth_bp, cities_bp, admin_bp, surveys_bp, stakeholders_bp, results_bp,
                      networks_bp, regions_bp, api_bp, plan_bp, jobs_bp):
        app.register_blueprint(blueprint)

    from portal.cli import register_commands

    register_commands(app)
    return app
