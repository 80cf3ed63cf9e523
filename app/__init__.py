"""The application factory: configuration, extensions, blueprints, CLI, error handlers."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from config import BASE_DIR, load_config

from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

FEATURE_BLUEPRINTS = (
    "main", "auth", "orgs", "projects", "documents", "files", "discussion",
    "notifications", "chat", "archive", "calls", "evaluation", "pilots", "search", "api",
)


def create_app(config_name: str | None = None, overrides: dict | None = None,
               socketio_async_mode: str | None = None) -> Flask:
    from .core.assets import static_url_path
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        static_url_path=static_url_path(BASE_DIR / "static"),  # versioned: cached for a year
    )
    app.config.from_object(load_config(config_name))
    if overrides:
        app.config.update(overrides)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    for folder in (app.config["UPLOAD_DIR"], app.config["INDEX_DIR"]):
        folder.mkdir(parents=True, exist_ok=True)

    from .core.sessions import SessionInterface
    from .core.urls import IdConverter
    app.session_interface = SessionInterface()
    app.url_map.converters["id"] = IdConverter  # before any blueprint names `<id:…>`
    features = _import_features()
    _init_extensions(app, socketio_async_mode)
    _register_blueprints(app, features)

    from .core import (
        assets, errors, logs, metrics, pagecache, security, template_gettext, template_urls,
        templating,
    )
    logs.register(app)
    metrics.register(app)  # after logs: it reads the request clock logs starts
    assets.register(app)
    pagecache.register(app)
    errors.register(app)
    security.register(app)
    templating.register(app)
    template_gettext.register(app)
    template_urls.register(app)  # templates' static and argument-free URLs built once

    from .cli import register_cli
    register_cli(app)
    return app


def _init_extensions(app: Flask, socketio_async_mode: str | None) -> None:
    from .core import babel_context, capacity, database, fanout, i18n

    db.init_app(app)
    database.configure_engine_events(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    # Flask-Login's own "Please log in to access this page." is English only; flash ours,
    # translated at the moment of the redirect (str() of the lazy string).
    login_manager.login_message = _l("Please sign in first.")
    login_manager.localize_callback = str
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    babel_context.register(app)  # Flask-Babel's context without LocalProxy trips, unless off
    lean = fanout.lean_fanout_usable(app.config["CHAT_LEAN_FANOUT"])
    socketio.init_app(
        app,
        async_mode=socketio_async_mode or app.config["SOCKETIO_ASYNC_MODE"],
        # In-process, or Redis pub/sub between processes when REDIS_URL is set; with the short
        # broadcast loop of app/core/fanout.py unless CHAT_LEAN_FANOUT=0.
        client_manager=fanout.client_manager(app.config["REDIS_URL"], app.config["SOCKETIO_CHANNEL"],
                                             lean),
        cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
        manage_session=False,
        max_http_buffer_size=64 * 1024,
    )
    if lean and socketio.server.eio.async_mode == "eventlet":
        fanout.remember_websockets(socketio.server.eio)
    capacity.install(app, socketio)  # refuse Socket.IO handshakes beyond MAX_CONNECTIONS


def _import_features() -> list:
    """Import the feature packages before `socketio.init_app`.

    `@socketio.on` registers a handler on the current server only if one exists, and otherwise
    remembers it for every later `init_app`; imported first, each app's server gets them all.
    """
    from importlib import import_module

    return [import_module(f"app.{name}") for name in FEATURE_BLUEPRINTS]


def _register_blueprints(app: Flask, features: list) -> None:
    for module in features:
        app.register_blueprint(module.bp)
        if hasattr(module, "register"):
            module.register(app)
