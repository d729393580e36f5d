"""Ed25519 signatures for content packages.

The museum signs each package's ``manifest.json`` with its private key (``PACKAGE_SIGNING_KEY``,
32 raw bytes in URL-safe base64, from the environment); venues verify with the public key they
were given out of band (``PACKAGE_VERIFY_KEY`` or ``venue_sync --public-key``). The manifest
names every other file with its size and SHA-256, so one signature covers the whole package.
"""

import base64
import binascii
import hashlib
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class SigningKeyError(ImproperlyConfigured):
    pass


class SignatureError(Exception):
    """A signature that does not verify, or a key that cannot be read."""


def _decode(value: str, what: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(value.strip().encode() + b"=" * (-len(value.strip()) % 4))
    except (binascii.Error, ValueError):
        raise SigningKeyError(f"{what} is not URL-safe base64.") from None
    if len(raw) != 32:
        raise SigningKeyError(f"{what} must be 32 bytes of Ed25519 key, not {len(raw)}.")
    return raw


def encode_key(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def generate_private_key() -> str:
    """A new private key in the form ``PACKAGE_SIGNING_KEY`` takes."""
    key = Ed25519PrivateKey.generate()
    return encode_key(
        key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )


def load_private_key(value: str) -> Ed25519PrivateKey:
    if not value:
        raise SigningKeyError("PACKAGE_SIGNING_KEY is not set: packages cannot be signed.")
    return Ed25519PrivateKey.from_private_bytes(_decode(value, "PACKAGE_SIGNING_KEY"))


def load_public_key(value: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_decode(value, "The package verification key"))


def public_key_text(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return encode_key(raw)


def key_id(public_key_value: str) -> str:
    """A short fingerprint of a public key (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(_decode(public_key_value, "The public key")).hexdigest()[:16]


@cache
def _signing_key(value: str) -> Ed25519PrivateKey:
    return load_private_key(value)


def signing_key() -> Ed25519PrivateKey:
    return _signing_key(settings.PACKAGE_SIGNING_KEY)


def museum_public_key() -> str:
    """The public half of the configured signing key, as venues are given it."""
    return public_key_text(signing_key())


def sign(data: bytes) -> bytes:
    """The detached Ed25519 signature (64 bytes) of ``data`` with the museum's key."""
    return signing_key().sign(data)


def verify(public_key_value: str, data: bytes, signature: bytes) -> None:
    """Raise :class:`SignatureError` unless ``signature`` is the key's signature of ``data``."""
    try:
        public_key = load_public_key(public_key_value)
    except SigningKeyError as error:
        raise SignatureError(str(error)) from None
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        raise SignatureError("The package signature does not match its manifest.") from None
