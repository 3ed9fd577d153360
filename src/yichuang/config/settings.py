"""Django settings for Yichuang.

Configuration comes from the environment (12-factor), so that one image serves a village station on
SQLite and a provincial cluster on PostgreSQL:

- ``YICHUANG_DATABASE_URL``  database URL (default: SQLite under ``$YICHUANG_VAR_DIR``)
- ``YICHUANG_VAR_DIR``       writable data directory (default: ``./var``)
- ``YICHUANG_SECRET_KEY``    required when ``YICHUANG_DEBUG`` is off
- ``YICHUANG_DEBUG``         ``1`` for development
- ``YICHUANG_ALLOWED_HOSTS`` comma-separated host names
- ``YICHUANG_REDIS_URL``     optional Redis for live fan-out
- ``YICHUANG_DB_CONN_MAX_AGE`` seconds a database connection is kept per thread (default 60; PostgreSQL only)
- ``YICHUANG_DB_PREPARED``   ``0`` behind a pooler that cannot keep prepared statements (default ``1``)
- ``YICHUANG_TOKEN_CACHE_SECONDS`` how long a process trusts a looked-up API token (default 10)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YICHUANG_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("YICHUANG_DEBUG", False)
SECRET_KEY = os.environ.get("YICHUANG_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and _env_bool("YICHUANG_REQUIRE_SECRET", False):
        raise RuntimeError("YICHUANG_SECRET_KEY must be set in production")
    # Development / test only: a key derived per data directory, never committed.
    SECRET_KEY = "insecure-dev-key-" + str(VAR_DIR)

ALLOWED_HOSTS = [h for h in os.environ.get("YICHUANG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "yichuang.core",
    "yichuang.accounts",
    "yichuang.audit",
    "yichuang.catalog",
    "yichuang.workcal",
    "yichuang.cases",
    "yichuang.hall",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yichuang.core.middleware.ApiTokenFastPath",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yichuang.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "yichuang.config.urls"
WSGI_APPLICATION = "yichuang.config.wsgi.application"
ASGI_APPLICATION = "yichuang.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("YICHUANG_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'yichuang.sqlite3'}",
        conn_max_age=int(os.environ.get("YICHUANG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let the kiosk, the clerks and the display board share one file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("YICHUANG_TEST_SQLITE_NAME") or None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _env_bool("YICHUANG_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000

NINJA_PAGINATION_PER_PAGE = 50

YICHUANG_REDIS_URL = os.environ.get("YICHUANG_REDIS_URL", "")
# The hot path of the hall (call-next, finish) runs one prepared statement per call on PostgreSQL.
HALL_PREPARED_STATEMENTS = _env_bool("YICHUANG_DB_PREPARED", True)
API_TOKEN_CACHE_SECONDS = float(os.environ.get("YICHUANG_TOKEN_CACHE_SECONDS", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YICHUANG_LOG_LEVEL", "WARNING")},
    "loggers": {"jieba": {"level": "ERROR"}},
}
