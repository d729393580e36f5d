"""Which images the IIIF server may show, and under which identifier.

The IIIF image server is a ``WEB`` channel output, so an image is served only where the web
may show it. The rules are not repeated here: they come from
``MuseumImage.objects.visible_in(WEB)``, which the public media files follow too.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import connections

from collection.models import MuseumImage
from visibility.channels import WEB

_IDENTIFIER = re.compile(r"[1-9][0-9]{0,17}")


def image_identifier(image: "MuseumImage | ServedImage") -> str:
    """The IIIF identifier of ``image`` (its primary key, for now)."""
    return str(image.pk)


def web_images(on: datetime.date | None = None):
    """Images the web may show on date ``on`` (the rule is MuseumImage's ``visible_in``)."""
    return MuseumImage.objects.visible_in(WEB, on=on)


# The fields the image server reads, in this order: one narrow row per request.
SERVED_FIELDS = ("id", "file", "pyramid_source", "max_online_size", "rights_statement")
# Stands in for the identifier while the query is compiled; replaced by the real one.
_PLACEHOLDER = 987_654_321_987_654_321


@dataclass(frozen=True, slots=True)
class ServedImage:
    """What the image server needs to know of one image the web may show, and no more."""

    pk: int
    file_name: str
    pyramid_source: str
    max_online_size: int | None
    rights_statement: str

    @property
    def master_path(self) -> str | None:
        """The master's path on disk, or None when the image has no file."""
        return default_storage.path(self.file_name) if self.file_name else None


@functools.lru_cache(maxsize=4)
def _compiled_lookup(on: datetime.date, alias: str) -> tuple[str, tuple]:
    """The SQL of "the visible image with primary key N" for date ``on``, selecting
    ``SERVED_FIELDS`` in order.

    Building the visibility query through the ORM (nested EXISTS over objects, loans and
    images) and turning its row into a model instance cost more than running it; every
    IIIF request needs it, so it is compiled once per process and day, and only the
    primary key changes. The rule itself is still ``visible_in(WEB)``.
    """
    queryset = web_images(on=on).filter(pk=_PLACEHOLDER).order_by().values_list(*SERVED_FIELDS)
    sql, params = queryset[:1].query.get_compiler(using=alias).as_sql()
    if list(params).count(_PLACEHOLDER) != 1:  # the shape changed: fall back to the ORM
        return "", ()
    return sql, tuple(params)


def find_web_image(identifier: str) -> ServedImage | None:
    """The image with IIIF ``identifier`` if the web may show it, else None.

    Unknown, malformed and hidden identifiers are alike to the caller, so a response
    cannot tell a hidden image from one that does not exist.
    """
    if not _IDENTIFIER.fullmatch(identifier):
        return None
    pk = int(identifier)
    alias = MuseumImage.objects.db
    sql, params = _compiled_lookup(WEB.today(), alias)
    if sql:
        values = [pk if value == _PLACEHOLDER else value for value in params]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
    else:
        row = web_images().filter(pk=pk).order_by().values_list(*SERVED_FIELDS).first()
    return ServedImage(*row) if row else None
