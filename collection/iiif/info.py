"""The image information document (info.json) of Image API 3.0."""

import math

from collection.iiif import tiles
from collection.iiif.image_api import FORMATS, QUALITIES, Box, Limits, Size

CONTEXT = "http://iiif.io/api/image/3/context.json"
PROTOCOL = "http://iiif.io/api/image"
PROFILE = "level2"
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
# The tiles of the pyramid: a viewer asking for these gets stored JPEG tiles as they are.
TILE_SIZE = tiles.TILE_SIZE
# The smallest preferred size worth listing (a thumbnail).
SMALLEST_SIZE = 64

# Every feature the server implements, level 2 ones included so that a client need not
# know the profile by heart. Each is exercised by tests/iiif.
FEATURES = [
    "baseUriRedirect",
    "canonicalLinkHeader",
    "cors",
    "jsonldMediaType",
    "mirroring",
    "profileLinkHeader",
    "regionByPct",
    "regionByPx",
    "regionSquare",
    "rotationArbitrary",
    "rotationBy90s",
    "sizeByConfinedWh",
    "sizeByH",
    "sizeByPct",
    "sizeByW",
    "sizeByWh",
    "sizeUpscaling",
]


def max_size(width: int, height: int, limits: Limits) -> tuple[int, int]:
    """What ``full/max`` gives for a ``width`` x ``height`` image within ``limits``."""
    return Size("max").resolve(Box(0, 0, width, height), limits)


def scale_factors(width: int, height: int, limits: Limits) -> list[int]:
    """Powers of two at which tiles are served: from the finest the limits allow to the
    first at which the whole image fits in one tile."""
    finest = 1
    if limits.max_scale and limits.max_scale < 1:
        finest = 2 ** math.ceil(math.log2(1 / limits.max_scale) - 1e-9)
    factors, factor = [], finest
    while True:
        factors.append(factor)
        if math.ceil(width / factor) <= TILE_SIZE and math.ceil(height / factor) <= TILE_SIZE:
            return factors
        factor *= 2


def preferred_sizes(width: int, height: int) -> list[dict]:
    """Halvings of the largest allowed size, smallest first, down to thumbnail size."""
    sizes, factor = [], 1
    while True:
        w, h = math.ceil(width / factor), math.ceil(height / factor)
        sizes.append({"width": w, "height": h})
        if max(w, h) <= SMALLEST_SIZE * 2 or min(w, h) <= 1:
            return sizes[::-1]
        factor *= 2


def info_document(
    service_id: str, width: int, height: int, limits: Limits, rights: str = ""
) -> dict:
    """The info.json of the image at ``service_id`` (its absolute base URI).

    Only the fields below are published: the document is public output (STYLE.md).
    """
    full_width, full_height = max_size(width, height, limits)
    document = {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": PROTOCOL,
        "profile": PROFILE,
        "width": width,
        "height": height,
    }
    if limits.max_width:
        document["maxWidth"] = limits.max_width
        document["maxHeight"] = limits.max_height
    if limits.max_area:
        # Required by the spec with sizeUpscaling, and it is what ^max grows to.
        document["maxArea"] = limits.max_area
    document["sizes"] = preferred_sizes(full_width, full_height)
    document["tiles"] = [
        {
            "width": TILE_SIZE,
            "height": TILE_SIZE,
            "scaleFactors": scale_factors(width, height, limits),
        }
    ]
    if rights:
        document["rights"] = rights
    document["extraQualities"] = [quality for quality in QUALITIES if quality != "default"]
    document["extraFormats"] = [fmt for fmt in FORMATS if fmt != "jpg"]
    document["extraFeatures"] = FEATURES
    return document
