"""Django settings. Everything that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from fairspot.env import env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FAIRSPOT_VAR_DIR", str(BASE_DIR / "var")))
# Files the application creates (database, uploads, caches, keys) are its owner's only: 0600 / 0700.
os.umask(0o077)
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if VAR_DIR.stat().st_uid == os.getuid():
    VAR_DIR.chmod(0o700)

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "fairspot.core",
    "fairspot.accounts",
    "fairspot.audit",
    "fairspot.reference",
    "fairspot.directory",
    "fairspot.inspectors",
    "fairspot.items",
    "fairspot.holidays",
    "fairspot.draws",
    "fairspot.plans",
    "fairspot.inspections",
    "fairspot.cases",
    "fairspot.credit",
    "fairspot.council",
    "fairspot.opendata",
    "fairspot.portal",
    "fairspot.ops",
    "fairspot.security",
    "fairspot.stats",
    "fairspot.hub",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fairspot.security.http.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fairspot.core.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fairspot.accounts.middleware.ForcePasswordChangeMiddleware",
    "fairspot.security.http.RequestBodyLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fairspot.audit.middleware.ExportAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fairspot.security.middleware.SessionTimeoutMiddleware",
    "fairspot.security.middleware.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fairspot.core.busy.DatabaseBusyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fairspot.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fairspot" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fairspot.core.breadcrumbs.breadcrumbs",
            ],
        },
    },
]

WSGI_APPLICATION = "fairspot.wsgi.application"

# SQLite (a file under var/, WAL mode) unless DATABASE_URL says otherwise.
_default_sqlite = f"sqlite:///{VAR_DIR / 'fairspot.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite) or _default_sqlite)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Connections are kept (per thread) for a minute on both databases: opening one per request (and, on
# SQLite, running the PRAGMAs again) cost more than a public page's query.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "hub:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Accounts to 等保 2.0 level 3 (fairspot.security, see docs/security.md "Accounts").
FAIRSPOT_PASSWORD_MIN_LENGTH = env_int("FAIRSPOT_PASSWORD_MIN_LENGTH", 10)
FAIRSPOT_PASSWORD_MIN_CLASSES = env_int("FAIRSPOT_PASSWORD_MIN_CLASSES", 3)
FAIRSPOT_PASSWORD_HISTORY = env_int("FAIRSPOT_PASSWORD_HISTORY", 5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": FAIRSPOT_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "fairspot.security.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": FAIRSPOT_PASSWORD_MIN_CLASSES},
    },
    {
        "NAME": "fairspot.security.validators.PasswordHistoryValidator",
        "OPTIONS": {"count": FAIRSPOT_PASSWORD_HISTORY},
    },
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Wrong passwords: after FAIRSPOT_LOGIN_FAILURE_LIMIT failures for one user name, or from one address
# (across user names), logins are refused, even with the right password, for the cool-off time.
FAIRSPOT_LOGIN_FAILURE_LIMIT = env_int("FAIRSPOT_LOGIN_FAILURE_LIMIT", 5)
FAIRSPOT_LOGIN_COOLOFF_MINUTES = env_int("FAIRSPOT_LOGIN_COOLOFF_MINUTES", 30)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("FAIRSPOT_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = FAIRSPOT_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=FAIRSPOT_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # logins are already in the audit log
AXES_LOCKOUT_CALLABLE = "fairspot.security.lockout.lockout_response"
# Behind a reverse proxy: how many proxies put their address in X-Forwarded-For (0: use REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = env_int("FAIRSPOT_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# Sessions: end after FAIRSPOT_SESSION_IDLE_MINUTES without a request, and FAIRSPOT_SESSION_HOURS after login.
FAIRSPOT_SESSION_IDLE_MINUTES = env_int("FAIRSPOT_SESSION_IDLE_MINUTES", 30)
FAIRSPOT_SESSION_HOURS = env_int("FAIRSPOT_SESSION_HOURS", 8)
SESSION_COOKIE_AGE = FAIRSPOT_SESSION_HOURS * 3600
# Two-step verification (TOTP): optional for every staff user, required for system administrators.
FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN = env_bool("FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN", True)
OTP_TOTP_ISSUER = "Fairspot"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "fairspot" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# Uploads: imports stream from disk; anything above 2.5 MB is spooled to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
FAIRSPOT_IMPORT_MAX_BYTES = env_int("FAIRSPOT_IMPORT_MAX_BYTES", 512 * 1024 * 1024)
FAIRSPOT_IMPORT_DIR = VAR_DIR / "imports"
# The Chinese font embedded in PDFs (notices, record forms, reports): a TrueType font or collection.
FAIRSPOT_PDF_FONT_FILE = env_str("FAIRSPOT_PDF_FONT_FILE", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Exports: a list of more rows than this is written by the worker (a job with progress), not the request.
FAIRSPOT_EXPORT_INLINE_ROWS = env_int("FAIRSPOT_EXPORT_INLINE_ROWS", 10_000)
FAIRSPOT_EXPORT_KEEP_DAYS = env_int("FAIRSPOT_EXPORT_KEEP_DAYS", 7)
FAIRSPOT_EXPORT_DIR = VAR_DIR / "exports"

# Anonymous requests (login, public pages) may send at most this much; see fairspot.security.http.
FAIRSPOT_ANONYMOUS_MAX_BYTES = env_int("FAIRSPOT_ANONYMOUS_MAX_BYTES", 65_536)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
X_FRAME_OPTIONS = "DENY"
# HTTPS (docs/security.md "Hardening"): HSTS and the redirect to https:// are off until turned on.
SECURE_HSTS_SECONDS = env_int("FAIRSPOT_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FAIRSPOT_SECURE_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("FAIRSPOT_SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("FAIRSPOT_SSL_REDIRECT", False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and drops the client's own).
if env_bool("FAIRSPOT_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Progress of background imports is shared between processes through a file cache under var/.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
# Background work (web imports) goes through Django's task framework (django-tasks) into a queue in the
# database; `manage.py db_worker` runs it (docs/imports.md "Background worker").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Run import jobs in the request (tests) instead of queueing them for the worker.
FAIRSPOT_JOBS_INLINE = env_bool("FAIRSPOT_JOBS_INLINE", False)
# An import still "running" whose worker has not been heard from for this long died (killed, machine
# restarted): it is marked failed — nothing was written, its transaction rolled back.
FAIRSPOT_JOB_STALE_SECONDS = env_int("FAIRSPOT_JOB_STALE_SECONDS", 300)
# A draw of a population larger than this is revealed by the worker (drawing and team matching can take
# longer than a request may); smaller draws are revealed at once.
FAIRSPOT_REVEAL_INLINE_ROWS = env_int("FAIRSPOT_REVEAL_INLINE_ROWS", 50_000)
# A task page's population preview is counted in the request for a directory up to this many targets,
# else by the worker (the page shows how far it has got); either way it is cached until the data change.
FAIRSPOT_PREVIEW_INLINE_ROWS = env_int("FAIRSPOT_PREVIEW_INLINE_ROWS", 50_000)
# A task whose population is larger than this is committed by the worker (freezing millions of targets
# takes longer than a request may); smaller ones are committed at once.
FAIRSPOT_COMMIT_INLINE_ROWS = env_int("FAIRSPOT_COMMIT_INLINE_ROWS", 200_000)
# On PostgreSQL, a simple random draw of at least this many targets is computed in the database at its
# reveal (same bytes as the engine; the population never travels to Python). 0 or less: never, the
# default: at 10M targets on 2 cores the engine revealed in 90 s, the database in 127 s (docs/scaling.md).
FAIRSPOT_SQL_DRAW_MIN_ROWS = env_int("FAIRSPOT_SQL_DRAW_MIN_ROWS", 0)
# How many visits one officer may be given in one task (batch) by the matching.
FAIRSPOT_INSPECTOR_CAPACITY = env_int("FAIRSPOT_INSPECTOR_CAPACITY", 30)
# The audit chain's MAC key (keep it out of database backups) and its append-only anchor file.
FAIRSPOT_AUDIT_KEY_FILE = Path(env_str("FAIRSPOT_AUDIT_KEY_FILE", str(VAR_DIR / "audit_key")))
FAIRSPOT_AUDIT_ANCHOR_FILE = Path(env_str("FAIRSPOT_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit_anchors")))

# Open data (fairspot.opendata): the public, read-only JSON API and its OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fairspot open data",
    "DESCRIPTION": "Published results of joint random inspections (双随机、一公开): read-only, no key.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
}
# How often (seconds) a serving process looks for newly published results to take into the read model.
FAIRSPOT_OPENDATA_SYNC_SECONDS = env_int("FAIRSPOT_OPENDATA_SYNC_SECONDS", 30)
# How long (seconds) a serving process keeps a rendered public results page; 0 = not at all.
FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS = env_int("FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS", 60)
# How long (seconds) a serving process keeps a rendered public portal page; 0 = not at all.
FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS = env_int("FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS", 60)
# Licence named in the open-data API's metadata.
FAIRSPOT_OPENDATA_LICENCE = env_str("FAIRSPOT_OPENDATA_LICENCE", "CC BY 4.0")
# Publish the files of draws that reveal credit-risk classes (πps weights, class-A exclusions); off: internal.
FAIRSPOT_PORTAL_PUBLISH_RISK_DATA = env_bool("FAIRSPOT_PORTAL_PUBLISH_RISK_DATA", False)
# The district's published annual cap of checks per firm, all departments and all checks counted
# (国办发〔2024〕54号); routine draws exclude firms at the cap. 0: no cap.
FAIRSPOT_FIRM_ANNUAL_CAP = env_int("FAIRSPOT_FIRM_ANNUAL_CAP", 0)
# Check codes (亮码入企): how many check-code page requests one address may make per window (0: no limit).
FAIRSPOT_CHECK_CODE_RATE_LIMIT = env_int("FAIRSPOT_CHECK_CODE_RATE_LIMIT", 30)
FAIRSPOT_CHECK_CODE_RATE_WINDOW = env_int("FAIRSPOT_CHECK_CODE_RATE_WINDOW", 600)
# Objections (异议) to a published result: the firm files within this many working days of publication
# (later ones are recorded and marked late); the department answers within the second figure.
FAIRSPOT_OBJECTION_WINDOW_DAYS = env_int("FAIRSPOT_OBJECTION_WINDOW_DAYS", 10)
FAIRSPOT_OBJECTION_ANSWER_DAYS = env_int("FAIRSPOT_OBJECTION_ANSWER_DAYS", 5)
# Largest evidence file (photo, PDF) attached to a result.
FAIRSPOT_ATTACHMENT_MAX_BYTES = env_int("FAIRSPOT_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# The knowledge check before a first result: questions drawn, and the share to answer right.
FAIRSPOT_QUIZ_SIZE = env_int("FAIRSPOT_QUIZ_SIZE", 5)
FAIRSPOT_QUIZ_PASS_PERCENT = env_int("FAIRSPOT_QUIZ_PASS_PERCENT", 60)
# Bulk imports on PostgreSQL: give up waiting for a lock after this long, and let the server end a
# transaction whose client stopped talking for this long (a killed import's orphan).
FAIRSPOT_BULK_LOCK_TIMEOUT_MS = env_int("FAIRSPOT_BULK_LOCK_TIMEOUT_MS", 10_000)
FAIRSPOT_BULK_IDLE_TIMEOUT_MS = env_int("FAIRSPOT_BULK_IDLE_TIMEOUT_MS", 60_000)
