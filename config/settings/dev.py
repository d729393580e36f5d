"""Settings for the embedded set-up on one machine: `make demo` and local work."""

import os
import secrets
from pathlib import Path

from config.env import Env


def ensure_dev_secret_key(env: Env) -> None:
    """Generate a development secret once into var/ so sessions survive restarts.

    Production (config.settings.production) never does this: it refuses to start without
    SECRET_KEY.
    """
    if env.str("SECRET_KEY"):
        return
    base_dir = Path(__file__).resolve().parent.parent.parent
    var_dir = Path(env.str("VAR_DIR", str(base_dir / "var")))
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    os.environ["SECRET_KEY"] = key_file.read_text().strip()


def ensure_dev_identity_key(env: Env) -> None:
    """Generate a development key for the encrypted identities of voices, once, into var/.

    Production refuses to start without IDENTITY_ENCRYPTION_KEYS.
    """
    if env.str("IDENTITY_ENCRYPTION_KEYS"):
        return
    from cryptography.fernet import Fernet

    base_dir = Path(__file__).resolve().parent.parent.parent
    var_dir = Path(env.str("VAR_DIR", str(base_dir / "var")))
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "identity_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode())
    os.environ["IDENTITY_ENCRYPTION_KEYS"] = key_file.read_text().strip()


def ensure_dev_package_key(env: Env) -> None:
    """Generate a development signing key for content packages, once, into var/.

    Production refuses to start without PACKAGE_SIGNING_KEY.
    """
    if env.str("PACKAGE_SIGNING_KEY"):
        return
    base_dir = Path(__file__).resolve().parent.parent.parent
    var_dir = Path(env.str("VAR_DIR", str(base_dir / "var")))
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "package_signing_key"
    if not key_file.exists():
        from touring.signing import generate_private_key

        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_private_key())
    os.environ["PACKAGE_SIGNING_KEY"] = key_file.read_text().strip()


ensure_dev_secret_key(Env())
ensure_dev_identity_key(Env())
ensure_dev_package_key(Env())

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import env  # noqa: E402

DEBUG = env.bool("DEBUG", True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
SERVE_MEDIA = env.bool("SERVE_MEDIA", True)
# Without collectstatic (e.g. runserver), serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
