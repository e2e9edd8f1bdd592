"""Fast settings for the test suite: same database choice, cheaper password hashing."""

from fairspot.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FAIRSPOT_JOBS_INLINE = True

# Tests assert the English msgids; test_translations checks the Chinese default separately.
LANGUAGE_CODE = "en"
