"""Blocks that show objects of the collection: one object with deep zoom, two or three side by
side, and a detail (a region) of an object's image served by our IIIF Image API."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from collection.iiif.access import image_identifier
from collection.iiif.image_api import BadRequest, Limits, Region, Size
from collection.models import ObjectImage, ObjectRecord
from collection.public import to_public, web_objects
from exhibition.blocks.base import PublicStructBlock
from visibility.channels import WEB

REGION_RE = re.compile(r"^\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*$")
# The longest side of a region detail on the page, in pixels.
DETAIL_SIZE = 800


def _pk(value) -> int | None:
    """The primary key of a chooser value (an instance, a key, or nothing)."""
    if value is None or value == "":
        return None
    return getattr(value, "pk", value)


def _load_public_objects(pks, on=None) -> dict:
    queryset = ObjectRecord.objects.filter(pk__in=pks)
    if on is not None:
        queryset = queryset.filter(pk__in=ObjectRecord.objects.visible_in(WEB, on=on).values("pk"))
    return {obj.pk: to_public(obj) for obj in web_objects(queryset)}


class PublicObjectCache:
    """The public view of every object that a page's blocks choose, loaded in one go the
    first time a block asks (a page with five object blocks makes one set of queries)."""

    def __init__(self, pks):
        self.pks = {pk for pk in pks if pk is not None}
        self._loaded: dict | None = None

    def get(self, pks: list) -> list:
        if self._loaded is None:
            self._loaded = _load_public_objects(self.pks) if self.pks else {}
        missing = [pk for pk in pks if pk not in self.pks]
        if missing:  # not announced in advance: load those too
            self._loaded.update(_load_public_objects(missing))
            self.pks.update(missing)
        return [self._loaded[pk] for pk in pks if pk in self._loaded]


def public_objects(pks: list, on=None, context=None) -> list:
    """The public view of each object in ``pks`` that the web may show, in the given order."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return []
    cache = context.get("narrative_objects") if context else None
    if on is None and isinstance(cache, PublicObjectCache):
        return cache.get(pks)
    found = _load_public_objects(pks, on)
    return [found[pk] for pk in pks if pk in found]


def chosen_object_pks(block_type: str, value) -> list:
    """The objects a block of ``block_type`` chooses (for :class:`PublicObjectCache`)."""
    if block_type in ("object", "image_region"):
        return [_pk(value.get("object"))]
    if block_type == "object_comparison":
        return [_pk(item) for item in value.get("objects") or []]
    return []


class ObjectBlock(PublicStructBlock):
    """One object: its first web image with deep zoom (a plain image without JavaScript)."""

    object = SnippetChooserBlock("collection.ObjectRecord", label=_("object"))
    caption = blocks.TextBlock(
        label=_("caption"),
        required=False,
        help_text=_("Why this object is here. The object's own title and credit line follow."),
    )
    show_all_images = blocks.BooleanBlock(
        label=_("show all images"), required=False, help_text=_("Otherwise only the first.")
    )

    class Meta:
        icon = "image"
        label = _("Object")
        description = _("An object of the collection, with deep zoom into its image.")
        template = "exhibition/blocks/object.html"

    def public_value(self, value, on, context=None):
        found = public_objects([_pk(value.get("object"))], on=on, context=context)
        if not found:
            return None
        obj = found[0]
        images = obj.images if value.get("show_all_images") else obj.images[:1]
        return {"object": obj, "images": images, "caption": value.get("caption", "")}


class ObjectComparisonBlock(PublicStructBlock):
    """Two or three objects side by side."""

    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=200)
    objects = blocks.ListBlock(
        SnippetChooserBlock("collection.ObjectRecord", label=_("object")),
        min_num=2,
        max_num=3,
        label=_("objects"),
    )
    caption = blocks.TextBlock(label=_("what to compare"), required=False)

    class Meta:
        icon = "table"
        label = _("Object comparison")
        description = _("Two or three objects side by side.")
        template = "exhibition/blocks/object_comparison.html"

    def clean(self, value):
        value = super().clean(value)
        pks = [_pk(item) for item in value.get("objects") or []]
        if len(set(pks)) != len(pks):
            raise StructBlockValidationError(
                block_errors={"objects": ValidationError(_("Choose each object only once."))}
            )
        return value

    def public_value(self, value, on, context=None):
        objects = public_objects(
            [_pk(item) for item in value.get("objects") or []], on=on, context=context
        )
        # A comparison of one object is no comparison: nothing is shown then.
        if len(objects) < 2:
            return None
        return {
            "heading": value.get("heading", ""),
            "caption": value.get("caption", ""),
            "objects": [
                {"object": obj, "image": obj.images[0] if obj.images else None} for obj in objects
            ],
        }


def parse_region(text: str) -> tuple[int, int, int, int]:
    match = REGION_RE.match(text or "")
    if not match:
        raise ValidationError(
            _("Write the region as x,y,w,h in whole pixels, e.g. 200,150,600,450.")
        )
    x, y, w, h = (int(group) for group in match.groups())
    if w == 0 or h == 0:
        raise ValidationError(_("The region must not be empty."))
    return x, y, w, h


def detail_url(image, region: tuple[int, int, int, int]) -> tuple[str, int, int] | None:
    """The IIIF Image API URL of ``region`` of ``image`` at most DETAIL_SIZE on its longest
    side, within the image's online limits, with the size the server will answer with; None
    when the image server would refuse it (e.g. the region lies outside the image)."""
    x, y, w, h = region
    size_text = f"!{min(w, DETAIL_SIZE)},{min(h, DETAIL_SIZE)}"
    limits = Limits.for_image(
        image.width, image.height, image.max_online_size, settings.IIIF_MAX_AREA
    )
    try:
        box = Region.parse(f"{x},{y},{w},{h}").resolve(image.width, image.height)
        width, height = Size.parse(size_text).resolve(box, limits)
    except BadRequest:
        return None
    url = reverse(
        "iiif:image", args=[image_identifier(image), str(box), size_text, "0", "default.jpg"]
    )
    return url, width, height


class ImageRegionBlock(PublicStructBlock):
    """A detail of an object's image: a region x,y,w,h rendered by our IIIF Image API."""

    object = SnippetChooserBlock("collection.ObjectRecord", label=_("object"))
    image = ImageChooserBlock(label=_("image"), help_text=_("One of the object's images."))
    region = blocks.CharBlock(
        label=_("region"),
        max_length=60,
        help_text=_("x,y,w,h in pixels of the image, e.g. 200,150,600,450."),
    )
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=300,
        help_text=_("What the detail shows, for people who cannot see it."),
    )
    caption = blocks.TextBlock(label=_("caption"), required=False)

    class Meta:
        icon = "crosshairs"
        label = _("Image detail")
        description = _("A region of an object's image, enlarged, with a caption.")
        template = "exhibition/blocks/image_region.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        object_pk, image = _pk(value.get("object")), value.get("image")
        try:
            region = parse_region(value.get("region", ""))
        except ValidationError as error:
            errors["region"] = error
            region = None
        if (
            image is not None
            and not ObjectImage.objects.filter(object_id=object_pk, image_id=image.pk).exists()
        ):
            errors["image"] = ValidationError(_("Choose one of the object's own images."))
        elif image is not None and region is not None:
            x, y, w, h = region
            if x + w > image.width or y + h > image.height:
                errors["region"] = ValidationError(
                    _("The region must lie inside the image (%(width)s × %(height)s pixels).")
                    % {"width": image.width, "height": image.height}
                )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def public_value(self, value, on, context=None):
        object_pk, image = _pk(value.get("object")), value.get("image")
        if object_pk is None or image is None:
            return None
        object_image = (
            ObjectImage.objects.visible_in(WEB, on=on)
            .filter(object_id=object_pk, image_id=image.pk)
            .select_related("image")
            .first()
        )
        if object_image is None:
            return None
        found = public_objects([object_pk], on=on, context=context)
        try:
            region = parse_region(value.get("region", ""))
        except ValidationError:
            return None
        served = detail_url(object_image.image, region) if found else None
        if served is None:
            return None
        url, width, height = served
        return {
            "object": found[0],
            "url": url,
            "width": width,
            "height": height,
            "alt": value.get("alt_text", ""),
            "caption": value.get("caption", ""),
        }
