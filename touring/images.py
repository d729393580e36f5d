"""Static (IIIF level 0) images for packages: tiles, derivatives and info.json per image.

A venue's kiosk has no image server, so every tile a viewer may ask for is rendered at build
time and stored under the URL a level-0 client requests (``{region}/{w},{h}/0/default.jpg``,
Image API 3.0 canonical form). The image is first capped at ``TOURING_IMAGE_MAX_SIZE`` pixels
on its longest side, which bounds the number of tiles (a 2,048-px image has at most about 90).
Pixels go through the image server's own colour handling and carry no metadata; libjpeg is
deterministic, so the same master gives the same bytes on every build.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import zipfile
from pathlib import Path

from django.conf import settings

import pyvips

from collection.iiif import info, processing
from collection.iiif.image_api import Limits

DEFAULT_MAX_SIZE = 2048
DEFAULT_DERIVATIVE_SIZES = (400, 1024)
TILE_SIZE = info.TILE_SIZE


def max_size() -> int:
    return int(getattr(settings, "TOURING_IMAGE_MAX_SIZE", DEFAULT_MAX_SIZE))


def derivative_sizes() -> tuple[int, ...]:
    return tuple(getattr(settings, "TOURING_DERIVATIVE_SIZES", DEFAULT_DERIVATIVE_SIZES))


def _jpeg(image: pyvips.Image) -> bytes:
    if image.bands in (2, 4):
        image = image.flatten(background=[processing.WHITE] * (image.bands - 1)).cast("uchar")
    return image.jpegsave_buffer(Q=processing.JPEG_QUALITY, keep=pyvips.enums.ForeignKeep.NONE)


def _fit(image: pyvips.Image, width: int, height: int) -> pyvips.Image:
    if (image.width, image.height) != (width, height):
        image = image.resize(width / image.width, vscale=height / image.height)
    if (image.width, image.height) != (width, height):
        image = image.gravity("north-west", width, height, extend="copy")
    return image


def static_image(path: str, service_id: str, *, rights: str = "") -> dict[str, bytes]:
    """Every file of the level-0 image at ``service_id``: info.json, tiles and sizes.

    Returns paths relative to the service (``info.json``, ``0,0,256,256/256,256/0/default.jpg``,
    ``full/400,300/0/default.jpg`` …) with their bytes.
    """
    cap = max_size()
    image = pyvips.Image.thumbnail(path, cap, height=cap, size="down", fail_on="truncated")
    image = processing._to_srgb(image).copy_memory()
    width, height = image.width, image.height
    files: dict[str, bytes] = {}
    factors = info.scale_factors(width, height, Limits())
    for factor in factors:
        level = image if factor == 1 else image.resize(1 / factor)
        span = TILE_SIZE * factor
        for top in range(0, height, span):
            for left in range(0, width, span):
                region_w, region_h = min(span, width - left), min(span, height - top)
                out_w, out_h = math.ceil(region_w / factor), math.ceil(region_h / factor)
                x, y = left // factor, top // factor
                crop_w = max(1, min(out_w, level.width - x))
                crop_h = max(1, min(out_h, level.height - y))
                tile = _fit(level.crop(x, y, crop_w, crop_h), out_w, out_h)
                full = (left, top, region_w, region_h) == (0, 0, width, height)
                region = "full" if full else f"{left},{top},{region_w},{region_h}"
                files[f"{region}/{out_w},{out_h}/0/default.jpg"] = _jpeg(tile)
    sizes = []
    # The full size (what a manifest's painting annotation names) and a few smaller ones.
    for longest in sorted({*derivative_sizes(), 200, max(width, height)}):
        scale = min(1.0, longest / max(width, height))
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        if {"width": w, "height": h} in sizes:
            continue
        sizes.append({"width": w, "height": h})
        files[f"full/{w},{h}/0/default.jpg"] = _jpeg(_fit(image, w, h))
    document = {
        "@context": info.CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": info.PROTOCOL,
        "profile": "level0",
        "width": width,
        "height": height,
        "sizes": sizes,
        "tiles": [{"width": TILE_SIZE, "height": TILE_SIZE, "scaleFactors": factors}],
    }
    if rights:
        document["rights"] = rights
    files["info.json"] = json.dumps(document, sort_keys=True, indent=1).encode()
    return files


def cache_dir() -> Path:
    """Where rendered images and label PDFs are kept between builds, keyed by their inputs."""
    configured = getattr(settings, "TOURING_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "touring-cache"


def _read_cached(path: Path) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile):
        return None  # missing or damaged: rendered again


def cached_static_image(path: str, service_id: str, *, rights: str = "") -> dict[str, bytes]:
    """:func:`static_image`, kept on disk under a key of the master's bytes and every option,
    so a rebuild after a label change does not encode the same tiles again. The output is a
    pure function of that key, so a cached copy is byte-identical to a fresh one."""
    digest = hashlib.sha256()
    with open(path, "rb") as master:
        for chunk in iter(lambda: master.read(1 << 20), b""):
            digest.update(chunk)
    options = json.dumps([service_id, rights, max_size(), sorted(derivative_sizes()), 1])
    digest.update(options.encode())
    target = cache_dir() / "images" / f"{digest.hexdigest()}.zip"
    cached = _read_cached(target)
    if cached is not None:
        return cached
    files = static_image(path, service_id, rights=rights)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    os.replace(partial, target)
    return files
