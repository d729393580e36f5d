"""Which images the IIIF server may show, and under which identifier.

The IIIF image server is a ``WEB`` channel output, so an image is served only where the web
may show it. The rules are not repeated here: they come from
``MuseumImage.objects.visible_in(WEB)``, which the public media files follow too.
"""

import datetime
import re

from collection.models import MuseumImage
from visibility.channels import WEB

_IDENTIFIER = re.compile(r"[1-9][0-9]{0,17}")


def image_identifier(image: MuseumImage) -> str:
    """The IIIF identifier of ``image`` (its primary key, for now)."""
    return str(image.pk)


def web_images(on: datetime.date | None = None):
    """Images the web may show on date ``on`` (the rule is MuseumImage's ``visible_in``)."""
    return MuseumImage.objects.visible_in(WEB, on=on)


def find_web_image(identifier: str) -> MuseumImage | None:
    """The image with IIIF ``identifier`` if the web may show it, else None.

    Unknown, malformed and hidden identifiers are alike to the caller, so a response
    cannot tell a hidden image from one that does not exist.
    """
    if not _IDENTIFIER.fullmatch(identifier):
        return None
    return web_images().filter(pk=int(identifier)).first()
