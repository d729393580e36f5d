"""Explicit language fallbacks: which language a visitor reads when a text is missing.

``settings.LANGUAGE_FALLBACKS`` maps a language to the languages tried after it, in order,
e.g. ``{"se": ["sv", "en"], "lt": ["en"]}``. The site's default language (``LANGUAGE_CODE``)
is always the last resort, since every text is written in it first.
"""

from django.conf import settings


def fallback_chain(language: str) -> list[str]:
    """``language`` followed by its configured fallbacks and then the default language,
    each once, in the order they are tried."""
    configured = getattr(settings, "LANGUAGE_FALLBACKS", {}) or {}
    chain: list[str] = []
    for code in (language, *configured.get(language, ()), settings.LANGUAGE_CODE):
        if code and code not in chain:
            chain.append(code)
    return chain


def first_available(language: str, available) -> str | None:
    """The first language of ``language``'s fallback chain (after ``language`` itself) that
    is in ``available``, or ``None`` when none is."""
    for code in fallback_chain(language)[1:]:
        if code in available:
            return code
    return None
