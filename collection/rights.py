"""Rights statements: rightsstatements.org and Creative Commons URIs.

Stored in the canonical ``http://`` form, which is what IIIF's ``rights`` property and the
Presentation 3 schema accept. An ``https://`` URI from a form is normalised, not refused.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RIGHTS_STATEMENTS = {
    "InC": "In Copyright",
    "InC-OW-EU": "In Copyright - EU Orphan Work",
    "InC-EDU": "In Copyright - Educational Use Permitted",
    "InC-NC": "In Copyright - Non-Commercial Use Permitted",
    "InC-RUU": "In Copyright - Rights-holder(s) Unlocatable or Unidentifiable",
    "NoC-CR": "No Copyright - Contractual Restrictions",
    "NoC-NC": "No Copyright - Non-Commercial Use Only",
    "NoC-OKLR": "No Copyright - Other Known Legal Restrictions",
    "NoC-US": "No Copyright - United States",
    "CNE": "Copyright Not Evaluated",
    "UND": "Copyright Undetermined",
    "NKC": "No Known Copyright",
}
CC_LICENSES = ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")

RIGHTSSTATEMENTS_RE = re.compile(r"^http://rightsstatements\.org/vocab/([A-Za-z-]+)/1\.0/$")
CC_LICENSE_RE = re.compile(r"^http://creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)/$")
CC_PUBLIC_DOMAIN = {
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "http://creativecommons.org/publicdomain/mark/1.0/": "Public Domain Mark 1.0",
}


def normalise_rights_uri(uri: str) -> str:
    uri = uri.strip()
    if uri.startswith("https://"):
        uri = "http://" + uri[len("https://") :]
    if uri and not uri.endswith("/"):
        uri += "/"
    return uri


def rights_label(uri: str) -> str | None:
    """A short human label for a known rights URI, or None when it is not one."""
    uri = normalise_rights_uri(uri)
    if match := RIGHTSSTATEMENTS_RE.match(uri):
        return RIGHTS_STATEMENTS.get(match.group(1))
    if match := CC_LICENSE_RE.match(uri):
        code, version = match.groups()
        if code in CC_LICENSES and version in {"1.0", "2.0", "2.5", "3.0", "4.0"}:
            return f"CC {code.upper()} {version}"
        return None
    return CC_PUBLIC_DOMAIN.get(uri)


def validate_rights_uri(value: str) -> None:
    if value and rights_label(value) is None:
        raise ValidationError(
            _(
                "Enter a rightsstatements.org or Creative Commons URI, e.g. "
                "http://rightsstatements.org/vocab/InC/1.0/ or "
                "http://creativecommons.org/licenses/by/4.0/."
            ),
            code="invalid_rights_uri",
        )


RIGHTS_CHOICES = [
    *(
        (f"http://rightsstatements.org/vocab/{code}/1.0/", label)
        for code, label in RIGHTS_STATEMENTS.items()
    ),
    # Older licence versions too: real records (e.g. Skokloster's CC BY-SA 3.0) carry them.
    *(
        (f"http://creativecommons.org/licenses/{code}/{version}/", f"CC {code.upper()} {version}")
        for version in ("4.0", "3.0", "2.5", "2.0", "1.0")
        for code in CC_LICENSES
    ),
    *CC_PUBLIC_DOMAIN.items(),
]
