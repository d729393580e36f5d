"""The package format "trafficking-package/1": canonical JSON, the reproducible zip, and the
public description of a venue. Shared by the builder and (read-only) by anyone checking a
package; see /work/helper-notes/PACKAGE-FORMAT.md for the contract."""

from __future__ import annotations

import io
import json
import zipfile

from django.utils.translation import gettext as _

FORMAT = "trafficking-package/1"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_ATTR = 0o644 << 16
ZIP_LEVEL = 6


def canonical_json(data) -> bytes:
    """The manifest's bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def write_zip(entries: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` that depends on nothing but their paths and bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(entries):
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.external_attr = ZIP_ATTR
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[path], compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


def public_venue(venue) -> dict:
    """What a package says about its venue: an allow-list (no contacts, nothing internal)."""
    return {
        "slug": venue.slug,
        "name": venue.institution,
        "city": venue.city,
        "country": venue.country,
        "languages": list(venue.languages),
        "time_zone": venue.time_zone,
    }


def kiosk_strings() -> dict[str, str]:
    """The kiosk's interface texts in the active language."""
    return {
        "rooms": _("Rooms"),
        "voices": _("Voices"),
        "back": _("Back"),
        "home": _("Start"),
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "object_label": _("Label"),
        "testimonies": _("Voices about this object"),
        "content_note": _("Content note"),
        "show_anyway": _("Show the testimony"),
        "transcript": _("Transcript"),
        "unavailable": _("Voices are not shown at the moment. Please ask the staff."),
        "fallback": _("Not available in this language; shown in %(language)s."),
        "language": _("Language"),
        "credit": _("Credit"),
        "no_image": _("No image"),
        "images": _("Images"),
        "age": _("Suitable from %(age)s years"),
        "support": _("Support"),
        "support_intro": _(
            "If what you read or hear here touches your own life, you are not alone. These "
            "services listen, free of charge and in confidence."
        ),
        "answers_in": _("Answers in:"),
    }
