"""Settings for the test suite: fast, isolated, immediate tasks, embedded search."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
# A fixed, test-only Fernet key (32 bytes, urlsafe base64) for the voices' encrypted identities.
os.environ.setdefault("IDENTITY_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWlkZW50aXR5LWtleS0zMi1ieXRlcyE=")
# A fixed, test-only Ed25519 private key for signing content packages.
os.environ.setdefault("PACKAGE_SIGNING_KEY", "dGVzdC1vbmx5LXBhY2thZ2Utc2lnbmluZy1rZXkhISE")

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import DATABASES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run gets its own media folder, removed at exit: runs never share files.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# The same for the embedded search index; tests that index use a folder of their own.
SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="test-search-"))
atexit.register(shutil.rmtree, SEARCH_INDEX_DIR, ignore_errors=True)
# Built venue packages and the builder's rendered images, likewise.
PACKAGE_ROOT = Path(tempfile.mkdtemp(prefix="test-packages-"))
atexit.register(shutil.rmtree, PACKAGE_ROOT, ignore_errors=True)
TOURING_CACHE_DIR = Path(tempfile.mkdtemp(prefix="test-touring-cache-"))
atexit.register(shutil.rmtree, TOURING_CACHE_DIR, ignore_errors=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# Serve static files from the source folders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True  # the embedded set-up serves media itself; crawls fetch renditions
