"""Configuration classes; environment variables override instance/config.py and these."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_KEYS = (
    "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "COURSES_DIR", "PUBLIC_BASE_URL",
    "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM",
    "TRUSTED_PROXIES", "TRUSTED_HOSTS", "PRIVACY_RETENTION_DAYS", "JOBS_DIR",
)  # fmt: skip
HSTS = "max-age=31536000; includeSubDomains"


def normalise_database_url(url: str) -> str:
    """Make a plain postgresql:// URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Defaults for every environment."""

    APP_ENV = "development"  # "production" requires PUBLIC_BASE_URL and trusts only known hosts
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # default: SQLite under instance/
    REDIS_URL: str | None = None  # rate limits and the job queue; memory and a thread when unset
    JOBS_QUEUE = "jobs"  # the RQ queue's name on REDIS_URL (`flask jobs work` works it)
    JOBS_DIR: str | None = None  # where print packs and exports are written; instance/jobs
    COURSES_DIR = str(BASE_DIR / "courses")
    PUBLIC_BASE_URL: str | None = None  # links in QR codes, PDFs, mail, xAPI; production needs it
    # Host names the app answers to (comma-separated in the environment; ".example.se" takes
    # subdomains); any other Host header gets 400. Production: PUBLIC_BASE_URL's host by default.
    TRUSTED_HOSTS: list[str] | None = None
    STRICT_TRANSPORT_SECURITY: str | None = None  # the HSTS header, when set
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # forms and uploads; larger requests get 413
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app (X-Forwarded-For hops to trust)
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    LOGIN_RATE_LIMIT = "20 per minute"  # failed attempts per client address
    LOGIN_ACCOUNT_LIMIT = "5 per minute;20 per hour;50 per day"  # failed attempts per account
    CHECK_IN_ADDRESS_LIMIT = "30 per minute;300 per day"  # failed check-ins per client address
    CHECK_IN_PERSON_LIMIT = "10 per minute;50 per day"  # failed check-ins per person
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    MAIL_SERVER: str | None = None  # unset: messages wait in the outbox (admins can read them)
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS; the environment says "1", "true" or "yes"
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "Vi möts resfritt <no-reply@localhost>"  # set the real sender in production
    ATTENDANCE_WINDOW_DAYS = 14  # attendance may be recorded until this many days after the end
    PRIVACY_RETENTION_DAYS = 1095  # accounts without activity this long: `flask privacy purge`


class DevelopmentConfig(Config):
    """Local development: `make run`."""


class ProductionConfig(Config):
    """Production: secure cookies and HSTS over HTTPS; PUBLIC_BASE_URL required."""

    APP_ENV = "production"
    PREFERRED_URL_SCHEME = "https"
    STRICT_TRANSPORT_SECURITY = HSTS
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class TestConfig(Config):
    """The test suite: CSRF and rate limits off unless a test turns them on."""

    APP_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False


def config_from_environment() -> type[Config]:
    """Pick the config class named by APP_ENV (development unless it says production)."""
    return ProductionConfig if os.environ.get("APP_ENV") == "production" else DevelopmentConfig
