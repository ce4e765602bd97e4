"""Settings for both runtimes, chosen by environment variables alone.

Embedded (default): SQLite, files on local disk, background work run inline, e-mail on the
console. Scaled: ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL`` (Celery workers and the cache),
``S3_BUCKET`` (S3-compatible object storage).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from qualityfund.secret import is_production, secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("QUALITYFUND_DATA_DIR", Path.cwd() / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
# Production (a real host name or secure cookies) must be given SECRET_KEY; the embedded
# runtime makes its own once and keeps it in the data folder (qualityfund.secret).
SECRET_KEY = secret_key(os.environ.get("SECRET_KEY", ""), DATA_DIR, production=is_production(
    ALLOWED_HOSTS, _flag("SECURE_COOKIES")))
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "axes",
    "qualityfund.core.common",
    "qualityfund.core.accounts",
    "qualityfund.core.guides",
    "qualityfund.core.applications",
    "qualityfund.core.review",
    "qualityfund.core.notifications",
    "qualityfund.core.panels",
    "qualityfund.core.funding",
    "qualityfund.core.runtime",
    "qualityfund.web",
    "qualityfund.api",
    "qualityfund.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "qualityfund.web.middleware.PermissionsPolicy",
    "qualityfund.core.common.source.AuditSourceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qualityfund.web.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "qualityfund.web.middleware.SessionLimits",
    "qualityfund.web.middleware.AccountGate",
]

ROOT_URLCONF = "qualityfund.urls"
WSGI_APPLICATION = "qualityfund.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'qualityfund.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent page loads and inline background work share one file: wait, don't fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # Tests in memory, said outright: tools that recognise SQLite by the engine's name
    # (pytest-django under xdist) do not know the engine below.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# Django's engines, which also delete the files a rolled-back transaction wrote.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "qualityfund.core.runtime.backends.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 等保2.0: at least 12 characters of at least three kinds (upper, lower, digit, symbol)
    {"NAME": "qualityfund.core.accounts.passwords.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Bureau staff change their password after this many days (0: never asked).
STAFF_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("STAFF_PASSWORD_MAX_AGE_DAYS", "0"))
# Two-factor log-in (TOTP): compulsory for bureau staff when set; recommended in production.
# Staff enrol a first authenticator with an enrolment code from an administrator, valid this
# many hours.
STAFF_REQUIRE_2FA = _flag("STAFF_REQUIRE_2FA")
ENROLMENT_CODE_HOURS = int(os.environ.get("ENROLMENT_CODE_HOURS", "24"))
OTP_TOTP_ISSUER = "质量品牌专项资金平台"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Sessions end after this long without a request (bureau staff sooner), and in any case this
# many hours after log-in (qualityfund.web.middleware.SessionLimits).
SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "30"))
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120"))
SESSION_ABSOLUTE_HOURS = float(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_HOURS * 3600)

# Lock-out after repeated failures (django-axes): 5 failures lock the username and address
# pair, 30 failures lock the address for every username (spraying), for 30 minutes.
AXES_HANDLER = "qualityfund.core.accounts.lockout.AddressAwareHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma
# separated); see qualityfund.core.common.net. Empty: the connecting address is the client.
TRUSTED_PROXIES = [p for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "qualityfund.core.common.net.client_address"
# Public forms, per client address (qualityfund.web.ratelimit): "count/period", period s, m,
# h or d.
RATE_LIMITS = {
    "register": os.environ.get("RATE_LIMIT_REGISTER", "10/h"),
    "objection": os.environ.get("RATE_LIMIT_OBJECTION", "10/h"),
    "password": os.environ.get("RATE_LIMIT_PASSWORD", "10/h"),
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from here after collectstatic
MEDIA_ROOT = DATA_DIR / "media"

REDIS_URL = os.environ.get("REDIS_URL", "")
S3_BUCKET = os.environ.get("S3_BUCKET", "")

# Materials never live under a public URL: the private storage has no base URL and every
# download goes through a view that checks who asks.
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
if DEBUG or _flag("QUALITYFUND_TESTING"):
    STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
WHITENOISE_USE_FINDERS = True

# Uploads stream to disk past 2.5 MB; never held whole in memory. The first handler refuses
# a body over the limit of the view it goes to (qualityfund.core.common.uploads): by its
# Content-Length before anything is read, else as soon as a file passes the limit. Temporary
# files live under the data folder, where nothing may stay once a request ends.
FILE_UPLOAD_HANDLERS = [
    "qualityfund.core.common.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "upload-tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024  # a request to a view that names no limit of its own

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: jobs kept in the database and run by the server process in the embedded
# runtime (qualityfund.core.runtime), on Celery workers when REDIS_URL is set.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "Asia/Shanghai"
# A task is acknowledged when it has finished, not when a worker took it: the task of a
# worker that was killed goes back to the queue (at once when a pool process dies; when the
# whole worker dies, after the visibility timeout, which outlasts any task).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
TASKS_MODE = os.environ.get("QUALITYFUND_TASKS", "celery" if REDIS_URL else "thread")
TASKS_THREADS = 2
TASKS_MAX_ATTEMPTS = 3  # a job that fails (or whose process dies) this often is "failed"
TASKS_RETRY_SECONDS = 30  # doubled at each further attempt
TASKS_LEASE_SECONDS = 60  # a running job not renewed for this long is taken up again
TASKS_POLL_SECONDS = 5
# The periodic jobs of both runtimes: Celery beat runs them in the scaled runtime, the
# server process itself in the embedded one (qualityfund.core.runtime.scheduler).
CELERY_BEAT_SCHEDULE = {
    # 指南 七（一） "逾期未补齐的，视为放弃申报": applications past their supplementation
    # deadline become abandoned.
    "abandon-overdue-supplementation": {"task": "review.abandon_overdue", "schedule": 600.0},
    # The audit chain: link what a lost background run left unlinked; verify it all daily.
    "seal-audit-chain": {"task": "common.seal_audit", "schedule": 60.0},
    "verify-audit-chain": {"task": "common.verify_audit", "schedule": 86400.0},
    # Material checks still "检查中" an hour after upload, their job lost, are queued again.
    "requeue-stuck-inspections": {"task": "applications.requeue_stuck_inspections",
                                  "schedule": 600.0},
    # Files a crash left behind without a row; jobs done a month ago.
    "sweep-orphan-files": {"task": "runtime.sweep_orphan_files", "schedule": 86400.0},
    "prune-finished-jobs": {"task": "runtime.prune_finished_jobs", "schedule": 86400.0},
}
# The Ed25519 key that signs audit archives (made on first use; its public half beside it,
# ".pub", is what an inspector verifies an archive with).
AUDIT_SIGNING_KEY = Path(os.environ.get("AUDIT_SIGNING_KEY", DATA_DIR / "audit-signing.key"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "质量品牌专项资金平台 <noreply@localhost>")
# Notifications: in-app always; these channels too. SMS goes through SMS_GATEWAY (a class
# with ``send_sms(phone, text)``); the default prints to the console.
NOTIFICATION_CHANNELS = [c for c in os.environ.get("NOTIFICATION_CHANNELS", "email,sms").split(",")
                         if c]
SMS_GATEWAY = os.environ.get("SMS_GATEWAY",
                             "qualityfund.core.notifications.channels.ConsoleSmsGateway")
SITE_URL = os.environ.get("SITE_URL", "")

# API tokens expire this many hours after issue (core.accounts.tokens).
API_TOKEN_HOURS_STAFF = float(os.environ.get("API_TOKEN_HOURS_STAFF", "8"))
API_TOKEN_HOURS = float(os.environ.get("API_TOKEN_HOURS", "24"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qualityfund.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per client address without a user, per user with one; counted in Django's cache.
    "DEFAULT_THROTTLE_CLASSES": ["qualityfund.api.throttling.AnonymousThrottle",
                                 "qualityfund.api.throttling.SignedInThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_RATE_ANON", "60/min"),
                               "user": os.environ.get("API_RATE_USER", "600/min")},
    "EXCEPTION_HANDLER": "qualityfund.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "质量品牌专项资金平台 API",
    "DESCRIPTION": "Quality-brand special fund platform, REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _flag("SECURE_COOKIES")
CSRF_COOKIE_SECURE = _flag("SECURE_COOKIES")


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto: https`` (as the proxy sends it) → Django's META form."""
    if not value:
        return None
    name, sep, expected = value.partition(":")
    if not sep or not name.strip() or not expected.strip():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER 应写作“请求头: 值”，如 X-Forwarded-Proto: https（现为 {value!r}）")
    return "HTTP_" + name.strip().upper().replace("-", "_"), expected.strip()


# HTTPS, set per deployment (README, Runtimes): behind the README's reverse proxy, set
# SECURE_PROXY_SSL_HEADER to the header the proxy sets, so that Django knows a request came in
# over HTTPS. /healthz stays reachable over HTTP for the proxy's health checks.
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD")
X_FRAME_OPTIONS = "DENY"
# Scripts only from the project's own static files: no inline script, no event-handler
# attribute, no eval (htmx is configured likewise in base.html). Styles keep 'unsafe-inline'
# for the templates' style attributes (a style runs no script; templates escape what users
# write). Bootstrap's form controls draw their icons from data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of the platform uses, switched off for every page.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "microphone", "midi", "payment", "serial", "usb", "xr-spatial-tracking"))

# Error pages in Chinese in the site's frame; JSON under /api/ (qualityfund.web.views.errors).
CSRF_FAILURE_VIEW = "qualityfund.web.views.errors.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
