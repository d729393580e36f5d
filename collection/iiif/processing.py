"""Rendering a resolved IIIF request (:class:`~collection.iiif.image_api.Plan`) with pyvips.

The master is never decoded whole for a downscale: a full-image request goes through
``Image.thumbnail``, which shrinks while loading (JPEG DCT scaling, WebP scaling, pyramid
levels of a tiled TIFF) and streams the rest; a region is read with sequential access and,
for JPEG and WebP, shrink-on-load, so memory stays near the size of the output, not of the
master.
"""

import contextlib
import functools
import os
from pathlib import Path

import pyvips

from collection.iiif.image_api import Plan

# libvips reports every pipeline step at INFO through this logger: a dozen lines per tile.

JPEG_QUALITY = 85
WEBP_QUALITY = 85
WHITE = 255
# The output keeps no metadata: EXIF and XMP of museum photographs may hold camera serial
# numbers, GPS positions and internal notes, none of which the public should get.
_KEEP_NOTHING = pyvips.enums.ForeignKeep.NONE


def image_size(path: Path | str) -> tuple[int, int]:
    """The pixel size of the image at ``path`` (reads the header only, once per process and
    file version)."""
    stat = os.stat(path)
    return _image_size(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _image_size(path: str, mtime_ns: int, size: int) -> tuple[int, int]:
    header = pyvips.Image.new_from_file(path)
    return header.width, header.height


def _open(path: str, **options) -> pyvips.Image:
    # A truncated file raises instead of coming out half grey (libvips' default).
    return pyvips.Image.new_from_file(path, fail_on="truncated", **options)


def render(path: Path | str, plan: Plan, destination: Path | str) -> None:
    """Render ``plan`` from the master at ``path`` into the file ``destination``."""
    image = _region_at_size(str(path), plan)
    image = _to_srgb(image)
    if plan.rotation.mirror:
        image = image.fliphor()
    if plan.rotation.degrees:
        # Rotation reads its input out of order, which a sequential master cannot do; the
        # image is already at output size here, so holding it in memory is cheap.
        image = _rotate(image.copy_memory(), float(plan.rotation.degrees), plan.format)
    image = _apply_quality(image, plan.quality)
    _save(image, plan.format, plan.quality, str(destination))


def _region_at_size(path: str, plan: Plan) -> pyvips.Image:
    """The requested region of the master, scaled to exactly the planned size."""
    header = pyvips.Image.new_from_file(path)
    box = plan.region
    if (box.x, box.y, box.width, box.height) == (0, 0, header.width, header.height):
        # size="force" gives exactly width x height, shrinking on load where it can.
        return pyvips.Image.thumbnail(
            path, plan.width, height=plan.height, size="force", no_rotate=True, fail_on="truncated"
        )
    shrink = min(box.width / plan.width, box.height / plan.height)
    loader = header.get("vips-loader")
    image, factor = _open_shrunk(path, loader, shrink)
    # Scale the region into the shrunk image's coordinates, keeping it inside the image.
    left = min(int(box.x / factor), image.width - 1)
    top = min(int(box.y / factor), image.height - 1)
    width = max(1, min(round(box.width / factor), image.width - left))
    height = max(1, min(round(box.height / factor), image.height - top))
    image = image.crop(left, top, width, height)
    if (width, height) != (plan.width, plan.height):
        image = image.resize(plan.width / width, vscale=plan.height / height)
    if (image.width, image.height) != (plan.width, plan.height):
        # resize() may round a dimension a pixel away from the plan.
        image = image.gravity("north-west", plan.width, plan.height, extend="copy")
    return image


def _open_shrunk(path: str, loader: str, shrink: float) -> tuple[pyvips.Image, float]:
    """Open ``path`` for one top-to-bottom pass, shrunk on load by up to ``shrink``.

    Returns the image and the factor it was shrunk by (1 when the format cannot).
    """
    if loader == "jpegload" and shrink >= 2:
        factor = max(f for f in (2, 4, 8) if f <= shrink)
        return _open(path, access="sequential", shrink=factor), factor
    if loader == "webpload" and shrink >= 2:
        factor = int(shrink)
        image = _open(path, access="sequential", scale=1 / factor)
        return image, factor
    if loader == "tiffload" and shrink >= 2:
        pyramid_level = _tiff_pyramid_level(path, shrink)
        if pyramid_level:
            page, factor = pyramid_level
            return _open(path, access="sequential", page=page), factor
    return _open(path, access="sequential"), 1


def _tiff_pyramid_level(path: str, shrink: float) -> tuple[int, int] | None:
    """The (page, factor) of the smallest level of a pyramidal TIFF still at least as
    detailed as the output, when the file's pages halve in size one after another."""
    first = pyvips.Image.new_from_file(path)
    pages = first.get("n-pages") if first.get_typeof("n-pages") else 1
    best = None
    for page in range(1, pages):
        factor = 2**page
        if factor > shrink:
            break
        level = pyvips.Image.new_from_file(path, page=page)
        if abs(level.width - first.width / factor) > 1:
            return best  # not a pyramid of halvings: the other pages are something else
        best = (page, factor)
    return best


def _to_srgb(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB (or 8-bit grey), so every output format can hold it and browsers agree.

    Outputs carry no profile (see ``_KEEP_NOTHING``), so pixels in another colour space
    are converted here rather than labelled.
    """
    if image.get_typeof("icc-profile-data"):
        # A profile libvips cannot read is ignored: the pixels are still usable as they are.
        with contextlib.suppress(pyvips.Error):
            image = image.icc_transform("srgb", embedded=True, intent="perceptual")
    target = "b-w" if image.interpretation in ("b-w", "grey16") else "srgb"
    if image.interpretation != target or image.format != "uchar":
        image = image.colourspace(target)
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def _has_alpha(image: pyvips.Image) -> bool:
    return image.bands in (2, 4)


def _rotate(image: pyvips.Image, degrees: float, fmt: str) -> pyvips.Image:
    """Rotate clockwise; corners outside the image are transparent, or white in a JPEG."""
    if degrees % 90 == 0:
        return image.rot(f"d{int(degrees) % 360}")
    if fmt == "jpg":
        if _has_alpha(image):
            image = image.flatten(background=[WHITE] * (image.bands - 1))
        return image.rotate(degrees, background=[WHITE] * image.bands)
    if not _has_alpha(image):
        image = image.bandjoin(WHITE)
    # Interpolating against the transparent background without premultiplying would
    # darken the edges.
    rotated = image.premultiply().rotate(degrees, background=[0] * image.bands)
    return rotated.unpremultiply().cast("uchar")


def _apply_quality(image: pyvips.Image, quality: str) -> pyvips.Image:
    if quality in ("default", "color"):
        return image
    alpha = image[image.bands - 1] if _has_alpha(image) else None
    grey = image.colourspace("b-w")[0] if image.bands >= 3 else image[0]
    if quality == "bitonal":
        # A fixed threshold at mid-grey: predictable, and what the validator expects.
        grey = (grey > 127).cast("uchar")
    return grey.bandjoin(alpha) if alpha is not None else grey


def _save(image: pyvips.Image, fmt: str, quality: str, destination: str) -> None:
    if fmt == "jpg":
        if _has_alpha(image):
            image = image.flatten(background=[WHITE] * (image.bands - 1)).cast("uchar")
        image.jpegsave(destination, Q=JPEG_QUALITY, keep=_KEEP_NOTHING)
    elif fmt == "png":
        # Black and white without transparency fits in one bit per pixel.
        bitdepth = 1 if quality == "bitonal" and image.bands == 1 else 8
        image.pngsave(destination, bitdepth=bitdepth, keep=_KEEP_NOTHING)
    elif fmt == "webp":
        image.webpsave(destination, Q=WEBP_QUALITY, keep=_KEEP_NOTHING)
    else:  # the parser refuses other formats; reaching here is a programming error
        raise ValueError(f"Cannot save format {fmt!r}.")
