"""Encryption at rest for the real identities of voices.

Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) with keys from the
environment (``IDENTITY_ENCRYPTION_KEYS``). :class:`~cryptography.fernet.MultiFernet` encrypts
with the first key and decrypts with any, so an operator rotates by putting a new key first and
running ``manage.py rotate_identity_keys``. A database dump without the key reveals nothing.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class IdentityKeyError(ImproperlyConfigured):
    pass


def check_keys(keys: list[str]) -> list[Fernet]:
    """Fernet objects for ``keys``; a clear error naming the setting when one is invalid."""
    if not keys:
        raise IdentityKeyError(
            "IDENTITY_ENCRYPTION_KEYS is not set: real identities of voices cannot be stored."
        )
    fernets = []
    for number, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError):
            raise IdentityKeyError(
                f"IDENTITY_ENCRYPTION_KEYS: key {number} is not a Fernet key "
                "(32 bytes, URL-safe base64)."
            ) from None
    return fernets


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(check_keys(list(keys)))


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.IDENTITY_ENCRYPTION_KEYS))


def encrypt(text: str) -> bytes:
    """``text`` encrypted; the empty string stays empty (nothing is kept)."""
    if not text:
        return b""
    return fernet().encrypt(text.encode())


def decrypt(token: bytes | memoryview) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        raise IdentityKeyError(
            "An identity could not be decrypted with any key in IDENTITY_ENCRYPTION_KEYS "
            "(was a key removed before rotation?)."
        ) from None


def rotate(token: bytes | memoryview) -> bytes:
    """``token`` re-encrypted with the first key."""
    if not token:
        return b""
    return fernet().rotate(bytes(token))
