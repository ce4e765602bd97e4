"""Settings for both runtimes, chosen by environment variables alone.

Embedded (default): SQLite, files on local disk, background work run inline, e-mail on the
console. Scaled: ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL`` (Celery workers and the cache),
``S3_BUCKET`` (S3-compatible object storage).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("QUALITYFUND_DATA_DIR", Path.cwd() / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "embedded-runtime-only-not-secret")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
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
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "qualityfund.web.middleware.RequireStaffTwoFactor",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor log-in (TOTP): compulsory for bureau staff when set; recommended in production.
STAFF_REQUIRE_2FA = _flag("STAFF_REQUIRE_2FA")
OTP_TOTP_ISSUER = "质量品牌专项资金平台"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Lock-out after repeated failures (django-axes): 5 failures lock the username and address
# pair for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma
# separated); see qualityfund.core.common.net. Empty: the connecting address is the client.
TRUSTED_PROXIES = [p for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "qualityfund.core.common.net.client_address"

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

# Uploads stream to disk past 2.5 MB; never held whole in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
FILE_UPLOAD_TEMP_DIR = None

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
    # Material checks still "检查中" an hour after upload, their job lost, are queued again.
    "requeue-stuck-inspections": {"task": "applications.requeue_stuck_inspections",
                                  "schedule": 600.0},
    # Files a crash left behind without a row; jobs done a month ago.
    "sweep-orphan-files": {"task": "runtime.sweep_orphan_files", "schedule": 86400.0},
    "prune-finished-jobs": {"task": "runtime.prune_finished_jobs", "schedule": 86400.0},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "质量品牌专项资金平台 <noreply@localhost>")
# Notifications: in-app always; these channels too. SMS goes through SMS_GATEWAY (a class
# with ``send_sms(phone, text)``); the default prints to the console.
NOTIFICATION_CHANNELS = [c for c in os.environ.get("NOTIFICATION_CHANNELS", "email,sms").split(",")
                         if c]
SMS_GATEWAY = os.environ.get("SMS_GATEWAY",
                             "qualityfund.core.notifications.channels.ConsoleSmsGateway")
SITE_URL = os.environ.get("SITE_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
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
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
