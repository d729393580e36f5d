"""Read deployment settings from the environment, failing loudly on bad values.

Every setting that differs between a laptop demo and a production deployment comes from an
environment variable read through :class:`Env`. A wrong value stops start-up with an
``ImproperlyConfigured`` that names the variable and says what it expects, instead of
quietly running with a default the operator did not choose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off", ""})

# BCP 47 language tags as used here: a primary language subtag, optionally a script and a
# region (sv, en, en-GB, sr-Latn, se). Enough to catch typos such as "swe" or "en_GB".
BCP47_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


class Env:
    """Typed access to environment variables with defaults and clear errors."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        return None if value is None else value.strip()

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self._raw(name)
        if value:
            return value
        if required:
            raise ImproperlyConfigured(f"{name} is required but not set.")
        return default

    def bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in TRUE_VALUES:
            return True
        if value.lower() in FALSE_VALUES:
            return False
        raise ImproperlyConfigured(
            f"{name} must be a boolean (true/false, yes/no, on/off, 1/0), got {value!r}."
        )

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
        return number

    def list(self, name: str, default: list[str]) -> list[str]:
        """A comma-separated list; blanks around items are dropped."""
        value = self._raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def url(self, name: str, *, schemes: tuple[str, ...]) -> str | None:
        """An absolute URL with one of ``schemes``, or None when unset."""
        value = self._raw(name)
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in schemes or not parts.netloc:
            raise ImproperlyConfigured(
                f"{name} must be an absolute URL starting with "
                f"{' or '.join(s + '://' for s in schemes)}, got {value!r}."
            )
        return value

    def languages(self, name: str, default: list[str]) -> list[str]:
        codes = self.list(name, default)
        if not codes:
            raise ImproperlyConfigured(f"{name} must list at least one language code.")
        for code in codes:
            if not BCP47_RE.match(code):
                raise ImproperlyConfigured(
                    f"{name} must be a comma-separated list of BCP 47 language codes "
                    f"such as 'sv,en'; {code!r} is not one."
                )
        if len(set(codes)) != len(codes):
            raise ImproperlyConfigured(f"{name} lists a language twice: {codes!r}.")
        return codes
