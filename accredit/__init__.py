"""accredit: Work Experience Quality Standard self-assessment and accreditation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from accredit.config import Settings

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Settings | dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` is a Settings, or overrides on top of the environment; the
    environment is read here, once, and every part of the app is handed the result."""
    # Flask is imported here, not at module level, so the pure domain packages under
    # ``accredit`` can be imported (by the unit tier, a worker, a script) without it.
    from flask import Flask

    settings = config if isinstance(config, Settings) else Settings.from_env(**(config or {}))

    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(settings.flask_config())
    if settings.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind a proxy every request would share its address, and one noisy client could
        # then throttle everybody's sign-in.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops
        )
    app.extensions["accredit.settings"] = settings
    from accredit.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)

    _configure_jinja(app)
    _init_extensions(app, settings)

    from accredit.web import register_blueprints
    from accredit.web.errors import register_error_handlers
    from accredit.web.request_log import register_request_log
    from accredit.web.security import register_request_hooks

    register_request_log(app)  # first, so every other hook's log lines carry the request id
    register_blueprints(app)
    from accredit.web.templating import register_templating

    register_templating(app)
    register_error_handlers(app)
    register_request_hooks(app)

    from accredit.cli.commands import register_commands

    register_commands(app)
    return app


def _configure_jinja(app: Flask) -> None:
    from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

    # nhsuk-frontend-jinja needs ChainableUndefined; tests render every page to catch typos.
    # Autoescaping is on for every template whatever its name: Flask's default covers only
    # .html and friends, and the design-system macros are .jinja files, so text a user typed
    # and passed to a macro as ``text`` would otherwise be written into the page as markup.
    app.jinja_options = {
        **app.jinja_options,
        "autoescape": True,
        "undefined": ChainableUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(str(ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]
    )


def _init_extensions(app: Flask, settings: Settings) -> None:
    from accredit.extensions import csrf, db, limiter, login_manager

    db.init_app(app, settings.database_url)
    from accredit.data import transactions

    transactions.install(app)  # first of the request hooks: every request is one unit of work
    csrf.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = settings.redis_url or "memory://"
    app.config["RATELIMIT_KEY_PREFIX"] = "accredit-limits"
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True  # Redis down: the page answers, unlimited
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # our session version check does this job

    from accredit.web.auth.session import load_user

    login_manager.user_loader(load_user)
