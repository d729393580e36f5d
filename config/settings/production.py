"""Production: everything from the environment, nothing insecure by default.

Passes ``manage.py check --deploy`` without warnings. SECRET_KEY and ALLOWED_HOSTS are
required; HTTPS is assumed (terminate TLS in front and set SECURE_PROXY_SSL_HEADER=true when
the proxy sends X-Forwarded-Proto).
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import (
    ALLOWED_HOSTS,
    DEBUG,
    IDENTITY_ENCRYPTION_KEYS,
    PACKAGE_SIGNING_KEY,
    SECRET_KEY,
    env,
)

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production (config.settings.production).")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is required in production: a comma-separated list of host names, "
        "e.g. 'museum.example.org'."
    )
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be a long random string (at least 50 characters), e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

if not IDENTITY_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "IDENTITY_ENCRYPTION_KEYS is required in production: one or more Fernet keys, "
        "comma-separated (the first encrypts), e.g. from `python -c 'from cryptography.fernet "
        "import Fernet; print(Fernet.generate_key().decode())'`. Keep it out of backups of "
        "the database."
    )
if not PACKAGE_SIGNING_KEY:
    raise ImproperlyConfigured(
        "PACKAGE_SIGNING_KEY is required in production: the museum's Ed25519 private key for "
        "content packages, 32 bytes in URL-safe base64, e.g. from `python -c 'from "
        "touring.signing import generate_private_key as g; print(g())'`."
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
if env.bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
