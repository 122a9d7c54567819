"""The "Vi möts resfritt" training platform."""

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as config_module
from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(
    config: type[config_module.Config] | None = None, overrides: dict[str, Any] | None = None
) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then overrides."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config or config_module.config_from_environment(), overrides or {})
    if int(app.config["TRUSTED_PROXIES"] or 0):
        # Behind a proxy, rate limits must see the client's address, not the proxy's.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    init_extensions(app)
    init_blueprints(app)
    init_cli(app)
    return app


def load_config(app: Flask, config: type[config_module.Config], overrides: dict) -> None:
    """Layer the configuration sources; refuse to start without a secret key (or, in
    production, without the public address)."""
    app.config.from_object(config)
    if not app.config.get("TESTING"):
        app.config.from_pyfile("config.py", silent=True)
    for key in config_module.ENV_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    url = app.config.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(app.instance_path) / "vimotsresfritt.db")
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(url)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Reports are short queries over many rows: PostgreSQL's JIT compiler, which their
        # costs trigger, took longer to compile them than they take to run (docs/PERFORMANCE.md).
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"options": "-c jit=off", **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    if not app.config.get("SECRET_KEY"):
        if app.debug or app.config.get("TESTING"):
            app.config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            raise RuntimeError(
                "SECRET_KEY is not set: put it in instance/config.py or the environment."
            )
    configure_hosts(app)


def configure_hosts(app: Flask) -> None:
    """Check PUBLIC_BASE_URL (required in production) and set the trusted hosts: TRUSTED_HOSTS
    (comma-separated), in production by default PUBLIC_BASE_URL's host; any other Host header
    is refused, so no link, QR code or PDF ever names an address an attacker sent."""
    production = app.config.get("APP_ENV") == "production"
    base = app.config.get("PUBLIC_BASE_URL")
    if base:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RuntimeError(
                f"PUBLIC_BASE_URL must be an absolute address such as "
                f"https://utbildning.example.se, not {base!r}."
            )
    elif production:
        raise RuntimeError(
            "PUBLIC_BASE_URL is not set: in production (APP_ENV=production) set it to the public "
            "address, e.g. https://utbildning.example.se; links in mail, PDFs and QR codes use it."
        )
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        hosts = [host.strip() for host in hosts.split(",") if host.strip()]
    if not hosts and production:
        hosts = [urlsplit(base).hostname]
    app.config["TRUSTED_HOSTS"] = list(hosts) if hosts else None


def init_subscribers() -> None:
    """Connect every subscriber of the domain events (`app.core.events`), whatever is served."""
    from app.certificates import services as certificates  # noqa: F401 - course_completed, …
    from app.mail import subscribers as mail  # noqa: F401 - account_link_issued
    from app.progress import subscribers  # noqa: F401 - lesson_viewed, quiz_passed, …


def init_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    from app import models  # noqa: F401 - registers every table
    from app.core.i18n import select_locale, select_timezone

    init_subscribers()

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.BASE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Logga in för att se sidan.")
    login_manager.login_message_category = "info"


def init_blueprints(app: Flask) -> None:
    """Register each domain's blueprint, the error pages and the security headers."""
    from app import access
    from app.account.routes import bp as account_bp
    from app.api.routes import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.certificates.routes import bp as certificates_bp
    from app.core import errors, labels, security, templating
    from app.core.routes import bp as core_bp
    from app.courses.routes import bp as courses_bp
    from app.effect.routes import bp as effect_bp
    from app.jobs.routes import bp as jobs_bp
    from app.mail import services as mail_services
    from app.mail.routes import bp as mail_bp
    from app.municipalities.routes import bp as municipalities_bp
    from app.practice.routes import bp as practice_bp
    from app.privacy.routes import bp as privacy_bp
    from app.progress import guidance, learner
    from app.quizzes.routes import bp as quizzes_bp
    from app.reports.routes import bp as reports_bp
    from app.sso.routes import bp as sso_bp
    from app.start.routes import bp as start_bp
    from app.training.routes import bp as training_bp

    for blueprint in (
        core_bp,
        start_bp,
        auth_bp,
        courses_bp,
        municipalities_bp,
        quizzes_bp,
        practice_bp,
        certificates_bp,
        api_bp,
        training_bp,
        reports_bp,
        effect_bp,
        jobs_bp,
        account_bp,
        mail_bp,
        sso_bp,
        privacy_bp,
    ):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    labels.init_app(app)
    access.init_app(app)
    guidance.init_app(app)
    learner.init_app(app)
    mail_services.init_app(app)


def init_cli(app: Flask) -> None:
    """Attach the `flask …` command groups."""
    from app.auth.cli import users_cli
    from app.certificates.cli import certificates_cli
    from app.courses.cli import courses_cli
    from app.demo.cli import demo_cli
    from app.effect.cli import meetings_cli
    from app.jobs.cli import jobs_cli
    from app.mail.cli import mail_cli
    from app.municipalities.cli import municipalities_cli
    from app.privacy.cli import privacy_cli
    from app.progress.cli import progress_cli
    from app.sso.cli import sso_cli
    from app.training import cli as training_cli  # noqa: F401 - adds `flask mail reminders`

    for group in (
        users_cli, courses_cli, demo_cli, municipalities_cli, certificates_cli, mail_cli, sso_cli,
        privacy_cli, meetings_cli, jobs_cli, progress_cli,
    ):  # fmt: skip
        app.cli.add_command(group)
