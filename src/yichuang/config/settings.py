"""Django settings for Yichuang.

Configuration comes from the environment (12-factor), so that one image serves a village station on
SQLite and a provincial cluster on PostgreSQL:

- ``YICHUANG_DATABASE_URL``  database URL (default: SQLite under ``$YICHUANG_VAR_DIR``)
- ``YICHUANG_VAR_DIR``       writable data directory (default: ``./var``)
- ``YICHUANG_SECRET_KEY``    required when ``YICHUANG_DEBUG`` is off (core/checks.py: nothing serves without it)
- ``YICHUANG_FIELD_KEYS``    the keys that encrypt ID and phone numbers (core/crypto.py); required when debug is off
- ``YICHUANG_CRYPTO_SUITE``  ``intl`` (AES-SIV, SHA-256, RSA; default) or ``gm`` (国密: SM4, SM3, SM2)
- ``YICHUANG_DEBUG``         ``1`` for development
- ``YICHUANG_ALLOWED_HOSTS`` comma-separated host names
- ``YICHUANG_REDIS_URL``     optional Redis for live fan-out
- ``YICHUANG_PUBLIC_URL``    the address the public reaches (QR codes and links in notices and messages)
- ``YICHUANG_SIGNING_CERT`` / ``YICHUANG_SIGNING_KEY`` / ``YICHUANG_SIGNING_KEY_PASSPHRASE``
                             the centre's signing certificate and key (PEM); default ``$YICHUANG_VAR_DIR/pki/``
- ``YICHUANG_CJK_FONT``      the CJK font embedded in PDFs (default Noto Sans CJK from fonts-noto-cjk)
- ``YICHUANG_NOTIFY_BACKENDS`` comma-separated notification backends (dotted paths)
- ``YICHUANG_DB_CONN_MAX_AGE`` seconds a database connection is kept per thread (default 60; PostgreSQL only)
- ``YICHUANG_DB_POOL``       PostgreSQL: a connection pool of at most this many connections per process (Django's
                             own, psycopg-pool; the documented ASGI server uses it); unset or 0: no pool
- ``YICHUANG_DB_PREPARED``   ``1``: PostgreSQL server-side parameter binding, statements prepared after 5 runs on a
                             connection (Django's own option); unset: client-side binding (behind a pooler too)
- ``YICHUANG_TOKEN_CACHE_SECONDS`` the longest a looked-up API token stays in the shared cache (default 300; every
                             deactivation, role, centre or department change and revocation invalidates it at once)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YICHUANG_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


# YICHUANG_ENV=production: no debug, a secret key is required, HTTPS-only cookies, HSTS (see the block below).
PRODUCTION = os.environ.get("YICHUANG_ENV", "").lower() in {"production", "prod"}
DEBUG = _env_bool("YICHUANG_DEBUG", False) and not PRODUCTION
SECRET_KEY = os.environ.get("YICHUANG_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION or (not DEBUG and _env_bool("YICHUANG_REQUIRE_SECRET", False)):
        raise RuntimeError("YICHUANG_SECRET_KEY must be set in production")
    # Development / test only: a key derived per data directory, never committed.
    SECRET_KEY = "insecure-dev-key-" + str(VAR_DIR)

# What is written from now on; what was written under the other suite stays readable (core/crypto.py).
YICHUANG_CRYPTO_SUITE = os.environ.get("YICHUANG_CRYPTO_SUITE", "intl").strip().lower() or "intl"

if PRODUCTION and not os.environ.get("YICHUANG_FIELD_KEYS"):
    raise RuntimeError("YICHUANG_FIELD_KEYS must be set in production (the key that encrypts ID and phone numbers; "
                       "`yichuang pii genkey` prints one)")

ALLOWED_HOSTS = [h for h in os.environ.get("YICHUANG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "yichuang.audit.apps.AuditedAdminConfig",  # django.contrib.admin, every admin change audited
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
    "yichuang.feedback",
    "yichuang.supervision",
    "yichuang.licences",
    "yichuang.documents",
    "yichuang.notify",
    "yichuang.sim",
    "yichuang.crossregion",
    "yichuang.bundles",
    "yichuang.ops",
    "yichuang.demo", "yichuang.config",  # the top layer, installed for their commands only (demo; openapi)
]

MIDDLEWARE = [
    "yichuang.ops.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "yichuang.ops.middleware.SecurityHeadersMiddleware",
    "yichuang.config.api.ApiErrorMiddleware",  # every /api/ error as {code, message, message_en}
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "yichuang.core.middleware.ControlCharacterMiddleware",  # NUL / control characters: 400 naming the field
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
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("YICHUANG_DB_PREPARED") == "1":
    # Opt-in: server-side parameter binding, and statements prepared after 5 runs on a connection (less parsing
    # and planning in PostgreSQL). Not with a transaction-pooling connection pooler.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
if DATABASES["default"]["ENGINE"].endswith("postgresql") and int(os.environ.get("YICHUANG_DB_POOL", "0") or 0) > 0:
    # Django's connection pool (psycopg-pool), up to this many connections per server process. Under ASGI every
    # request runs in a thread of its own, so persistent per-thread connections are never reused; the pool is.
    # Django requires CONN_MAX_AGE = 0 with it. Prepared statements (YICHUANG_DB_PREPARED) live on in the pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": int(os.environ["YICHUANG_DB_POOL"]), "timeout": 10}
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
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("YICHUANG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
CSRF_FAILURE_VIEW = "yichuang.core.views.csrf_failure"  # a refused form gets the framed 403 page
if PRODUCTION or _env_bool("YICHUANG_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("YICHUANG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("YICHUANG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if PRODUCTION:
    SESSION_COOKIE_AGE = int(os.environ.get("YICHUANG_SESSION_SECONDS", str(8 * 3600)))  # one working day
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    CSRF_COOKIE_HTTPONLY = True
    if _env_bool("YICHUANG_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        USE_X_FORWARDED_HOST = True

# Login lockout (yichuang.accounts.lockout): this many failures per user name and address within the window lock it.
LOGIN_FAILURE_LIMIT = int(os.environ.get("YICHUANG_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("YICHUANG_LOGIN_LOCKOUT_MINUTES", "15"))
# ... and this many failures from one address under any user names lock the address.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("YICHUANG_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
# Reverse proxies whose X-Forwarded-For names the client (yichuang.core.net.client_ip): addresses or CIDR networks,
# comma-separated. Empty: the peer is the client (no proxy, or one that sets REMOTE_ADDR itself).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("YICHUANG_TRUSTED_PROXIES", "").split(",") if p.strip()]

NINJA_PAGINATION_PER_PAGE = 50

YICHUANG_REDIS_URL = os.environ.get("YICHUANG_REDIS_URL", "")
# State shared by every server process (token lookups, the hall's scarcity counts and mean service time): Redis when
# YICHUANG_REDIS_URL is set, so that an invalidation in one process reaches all of them at once; otherwise this
# process's memory (one process: the demo, a village station, the tests).
if YICHUANG_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": YICHUANG_REDIS_URL,
                          "KEY_PREFIX": os.environ.get("YICHUANG_CACHE_PREFIX", "yc")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yichuang"}}
# The claim's scarcity counts (open windows able to serve each kind of ticket) are kept per centre this many seconds
# in the cache above (yichuang.hall.scarcity); the services that change a window delete them at once.
HALL_SCARCITY_SECONDS = float(os.environ.get("YICHUANG_HALL_SCARCITY_SECONDS", "2"))
# A ticket slip's wait estimate uses the centre's recent mean service time, kept in the cache this many seconds.
HALL_SERVICE_MEAN_SECONDS = float(os.environ.get("YICHUANG_HALL_SERVICE_MEAN_SECONDS", "30"))
# Only a safety-net lifetime: every change to a user or token invalidates the cached lookup explicitly.
API_TOKEN_CACHE_SECONDS = float(os.environ.get("YICHUANG_TOKEN_CACHE_SECONDS", "300"))

# Structured logs (one JSON object per line; YICHUANG_LOG_FORMAT=plain for humans), with ID and phone numbers
# masked by a filter on every handler before anything is written.
LOG_FORMAT = os.environ.get("YICHUANG_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "yichuang.ops.logging.PiiMaskFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "yichuang.ops.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_pii"],
                             "formatter": "json" if LOG_FORMAT == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YICHUANG_LOG_LEVEL", "WARNING")},
    "loggers": {
        "jieba": {"level": "ERROR"},
        "django": {"handlers": ["console"], "level": os.environ.get("YICHUANG_LOG_LEVEL", "WARNING"),
                   "propagate": False},
    },
}

# The address the public reaches: QR codes on notices and links in messages point here.
YICHUANG_PUBLIC_URL = os.environ.get("YICHUANG_PUBLIC_URL", "http://127.0.0.1:8000")

# 电子签章: the centre's certificate and private key (PEM). `yichuang pki-demo` creates a self-signed pair here.
YICHUANG_SIGNING_CERT = os.environ.get("YICHUANG_SIGNING_CERT", str(VAR_DIR / "pki" / "centre-cert.pem"))
YICHUANG_SIGNING_KEY = os.environ.get("YICHUANG_SIGNING_KEY", str(VAR_DIR / "pki" / "centre-key.pem"))
YICHUANG_SIGNING_KEY_PASSPHRASE = os.environ.get("YICHUANG_SIGNING_KEY_PASSPHRASE", "")
# Extra trusted roots for verification (PEM files, comma-separated); the signing certificate is always trusted.
YICHUANG_TRUSTED_CERTS = [p for p in os.environ.get("YICHUANG_TRUSTED_CERTS", "").split(",") if p]

# The CJK font embedded (subset) in every PDF: path[#index of the face in a .ttc collection].
YICHUANG_CJK_FONT = os.environ.get("YICHUANG_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2")

YICHUANG_NOTIFY_BACKENDS = [b for b in os.environ.get(
    "YICHUANG_NOTIFY_BACKENDS",
    "yichuang.notify.backends.ConsoleSmsBackend,yichuang.notify.backends.EmailBackend").split(",") if b]
EMAIL_BACKEND = os.environ.get("YICHUANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("YICHUANG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("YICHUANG_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("YICHUANG_FROM_EMAIL", "noreply@yichuang.invalid")
# /metrics: open to these addresses or networks (comma-separated), otherwise only to a supervisor's or
# administrator's token or session.
YICHUANG_METRICS_ALLOW = [a.strip() for a in os.environ.get("YICHUANG_METRICS_ALLOW", "127.0.0.1,::1").split(",")
                          if a.strip()]

# ---- Read replica (issue 20 item 7; config/routers.py, core/replica.py) — block added by the infra helper ----
# KPI and report reads go to a PostgreSQL streaming replica of the primary when YICHUANG_REPLICA_URL names one;
# writes, migrations and reads inside a transaction always to the primary. In tests the replica mirrors the
# test database.
DATABASE_ROUTERS = ["yichuang.config.routers.ReplicaRouter"]
if os.environ.get("YICHUANG_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["YICHUANG_REPLICA_URL"],
                                                 conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# ---- end of the read-replica block ----
