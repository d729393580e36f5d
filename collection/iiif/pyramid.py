"""The serving copy of each master: a tiled, pyramidal, JPEG-compressed TIFF.

A master may be a 600-megapixel PNG that can only be read from the top. The pyramid holds
the same pixels, converted to sRGB once, in 256-px JPEG tiles at every halving of the size,
so any request reads a few tiles of the nearest level (:mod:`collection.iiif.tiles` copies
grid tiles without decoding them). Masters with transparency keep it in lossless (deflate)
tiles instead, which only libvips reads.

Pyramids live in ``IIIF_PYRAMID_DIR`` (default ``VAR_DIR/iiif-pyramids``), outside
``MEDIA_ROOT``, as ``{image pk}/{digest of the master's file name}.tif``. The image's
``pyramid_source`` field names the master file a pyramid was built from: a replaced master
has a new file name, so its old pyramid is ignored at once and rebuilt by a task.
"""

import contextlib
import functools
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

import pyvips

from collection.iiif import tiles

logger = logging.getLogger(__name__)

PYRAMID_QUALITY = tiles.JPEG_QUALITY
# Masters larger than this are refused (a decompression bomb, or more than any photograph
# of an object needs): 2 gigapixels, e.g. 60,000 x 33,000.
DEFAULT_MAX_MASTER_PIXELS = 2_000_000_000
# libtiff needs BigTIFF past 4 GB; JPEG tiles of 2 gigapixels stay well below that, deflate
# tiles might not.
BIGTIFF_PIXELS = 500_000_000


class MasterError(Exception):
    """The master cannot be used: damaged, not an image, or too large."""


def pyramid_dir() -> Path:
    return Path(getattr(settings, "IIIF_PYRAMID_DIR", None) or settings.VAR_DIR / "iiif-pyramids")


def max_master_pixels() -> int:
    return int(getattr(settings, "IIIF_MAX_MASTER_PIXELS", DEFAULT_MAX_MASTER_PIXELS))


def pyramid_path(image, source_name: str | None = None) -> Path:
    """Where the pyramid of ``image``'s master (or of ``source_name``) is kept."""
    name = source_name if source_name is not None else image.file.name
    digest = hashlib.sha256(name.encode()).hexdigest()[:20]
    return pyramid_dir() / str(image.pk) / f"{digest}.tif"


def current_pyramid(image) -> Path | None:
    """The pyramid of ``image``'s present master, if it has been built."""
    path = built_pyramid(image.pk, image.file.name, image.pyramid_source)
    return Path(path) if path else None


def built_pyramid(pk: int, file_name: str, pyramid_source: str) -> str | None:
    """The path of the pyramid of image ``pk`` whose master is ``file_name``, if it has
    been built (``pyramid_source`` names the master it was built from)."""
    if not pyramid_source or pyramid_source != file_name:
        return None
    path = _pyramid_file(str(pyramid_dir()), pk, file_name)
    return path if os.path.isfile(path) else None


@functools.lru_cache(maxsize=1024)
def _pyramid_file(folder: str, pk: int, file_name: str) -> str:
    # As pyramid_path(), as a string, remembered: the image server asks on every request.
    return f"{folder}/{pk}/{hashlib.sha256(file_name.encode()).hexdigest()[:20]}.tif"


def open_master(path: str, **options) -> pyvips.Image:
    """Open a master for reading, refusing damaged files and decompression bombs.

    libvips reads only the header here; ``fail_on="truncated"`` makes it raise when the
    pixels later turn out to be cut short instead of filling the rest with grey.
    """
    try:
        image = pyvips.Image.new_from_file(path, fail_on="truncated", **options)
    except pyvips.Error as error:
        raise MasterError(f"The master cannot be read as an image: {_first_line(error)}") from None
    check_master_size(image.width, image.height)
    return image


def check_master_size(width: int, height: int) -> None:
    """Raise MasterError when a ``width`` x ``height`` master is over the pixel limit."""
    if width * height > max_master_pixels():
        raise MasterError(
            f"The master is {width}x{height} pixels, more than the "
            f"{max_master_pixels():,} this server accepts."
        )


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__


def _serving_pixels(image: pyvips.Image) -> pyvips.Image:
    """8-bit sRGB or grey, alpha kept: what every response is rendered from."""
    if image.get_typeof("icc-profile-data"):
        try:
            image = image.icc_transform("srgb", embedded=True, intent="perceptual")
        except pyvips.Error:
            logger.warning("IIIF pyramid: unreadable colour profile ignored")
    target = "b-w" if image.interpretation in ("b-w", "grey16") else "srgb"
    if image.interpretation != target or image.format != "uchar":
        image = image.colourspace(target)
    if image.format != "uchar":
        image = image.cast("uchar")
    most = 2 if target == "b-w" else 4  # colour bands and an alpha band, nothing else
    return image[:most] if image.bands > most else image


def build_pyramid(image) -> Path:
    """Build the pyramid of ``image``'s master and record it; return its path.

    Raises MasterError for a damaged or oversized master (nothing is recorded then). Safe
    to call again: an up-to-date pyramid is kept as it is.
    """
    existing = current_pyramid(image)
    if existing is not None:
        return existing
    source_name = image.file.name
    try:
        master_path = image.file.path
    except (ValueError, NotImplementedError) as error:
        raise MasterError(f"The master has no local file: {error}") from None
    if not os.path.isfile(master_path):
        raise MasterError("The master file is missing.")
    target = pyramid_path(image, source_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    master = open_master(master_path, access="sequential")
    pixels = _serving_pixels(master)
    has_alpha = pixels.bands in (2, 4)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".tif")
    os.close(handle)
    options = {
        "tile": True,
        "tile_width": tiles.TILE_SIZE,
        "tile_height": tiles.TILE_SIZE,
        "pyramid": True,
        # Each level is the one before averaged 2x2, so level n is exactly scale factor 2**n.
        "region_shrink": "mean",
        "keep": pyvips.enums.ForeignKeep.NONE,
        "bigtiff": master.width * master.height > BIGTIFF_PIXELS,
    }
    if has_alpha:
        options.update(compression="deflate", predictor="horizontal")
    else:
        options.update(compression="jpeg", Q=PYRAMID_QUALITY)
    try:
        pixels.tiffsave(temporary, **options)
        os.replace(temporary, target)
    except pyvips.Error as error:
        Path(temporary).unlink(missing_ok=True)
        raise MasterError(f"The master could not be converted: {_first_line(error)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    # Recorded only if the master is still the one that was read (it may have been replaced
    # meanwhile; then the task for the new master builds again).
    type(image).objects.filter(pk=image.pk, file=source_name).update(pyramid_source=source_name)
    image.pyramid_source = source_name
    remove_pyramids(image.pk, keep=target)
    return target


def remove_pyramids(pk: int, keep: Path | None = None) -> int:
    """Delete the pyramids of image ``pk`` (except ``keep``); return how many."""
    folder = pyramid_dir() / str(pk)
    removed = 0
    if not folder.is_dir():
        return 0
    for entry in folder.iterdir():
        if keep is not None and entry == keep:
            continue
        entry.unlink(missing_ok=True)
        removed += 1
    if keep is None:
        with contextlib.suppress(OSError):  # a build for a new master started meanwhile
            folder.rmdir()
    return removed
