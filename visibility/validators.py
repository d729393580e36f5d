"""Validators for values every app shares: country codes, language lists, time zones."""

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.env import BCP47_RE

COUNTRY_CODE_RE = re.compile(r"^[A-Z]{2}$")


def validate_country_code(value: str) -> None:
    if not COUNTRY_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Enter an ISO 3166-1 alpha-2 country code in capitals, e.g. SE, NO, DE."),
            code="invalid_country",
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Enter an IANA time zone name, e.g. Europe/Stockholm."), code="invalid_time_zone"
        )


def parse_language_codes(value: str) -> list[str]:
    return [code.strip() for code in (value or "").split(",") if code.strip()]


def validate_language_codes(value: str) -> None:
    codes = parse_language_codes(value)
    if not codes:
        raise ValidationError(_("List at least one language."), code="no_languages")
    bad = [code for code in codes if not BCP47_RE.match(code)]
    if bad:
        raise ValidationError(
            _("%(codes)s: not BCP 47 language codes (use e.g. sv, en, de, se, en-GB)."),
            params={"codes": ", ".join(bad)},
            code="invalid_language",
        )
    if len(set(codes)) != len(codes):
        raise ValidationError(_("A language is listed twice."), code="duplicate_language")
