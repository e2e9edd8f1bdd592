"""Django settings. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from fairspot.env import env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FAIRSPOT_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

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
    "fairspot.opendata",
    "fairspot.portal",
    "fairspot.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fairspot.audit.middleware.ExportAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
X_FRAME_OPTIONS = "DENY"

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
# Run import jobs in the request (tests) instead of a background thread.
FAIRSPOT_JOBS_INLINE = env_bool("FAIRSPOT_JOBS_INLINE", False)
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
