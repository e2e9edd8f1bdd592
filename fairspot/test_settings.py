"""Fast settings for the test suite: same database choice, cheaper password hashing."""

from fairspot.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FAIRSPOT_JOBS_INLINE = True
# Tasks enqueued in tests run at once, in the test's process (no worker).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Tests assert the English msgids; test_translations checks the Chinese default separately.
LANGUAGE_CODE = "en"

# Live-server request threads must not keep PostgreSQL connections open past the test database's end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The audit chain's key and anchors of the test databases stay apart from the development ones.
FAIRSPOT_AUDIT_KEY_FILE = VAR_DIR / "test_audit_key"  # noqa: F405
FAIRSPOT_AUDIT_ANCHOR_FILE = VAR_DIR / "test_audit_anchors"  # noqa: F405

# Existing tests log in as system administrators with force_login; the security tests turn the
# second-factor requirement on with override_settings (production default: on).
FAIRSPOT_OTP_REQUIRED_FOR_SYSADMIN = False

# Tests see every change at once; the page-cache tests turn it on with the settings fixture.
FAIRSPOT_PORTAL_PAGE_CACHE_SECONDS = 0
FAIRSPOT_OPENDATA_PAGE_CACHE_SECONDS = 0
# The file cache outlives a test run: the check-code rate-limit test turns the limit on with the
# settings fixture (and an address of its own), so other tests' requests never count against it.
FAIRSPOT_CHECK_CODE_RATE_LIMIT = 0
