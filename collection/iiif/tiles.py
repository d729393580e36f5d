"""Tiles straight out of a pyramidal, JPEG-compressed TIFF, without libvips.

An IIIF client asks mostly for tiles on the grid of ``info.json``: a 256-px tile at one of
the ``scaleFactors``. The pyramid (see :mod:`collection.iiif.pyramid`) stores exactly that
grid: level *n* is the master shrunk by 2**n, cut into 256-px JPEG tiles. Such a request
is answered by copying the stored JPEG data into a JPEG file (the TIFF keeps the tables
shared by all tiles separately), with no decoding at all; a tile at the right or bottom
edge, smaller than the stored one, is decoded and cropped with Pillow (libjpeg-turbo).

Measured on the benchmark master (``benchmarks/bench_iiif.py``): a copied tile costs a few
microseconds, a Pillow edge tile about 1 ms, the same tile through a pyvips pipeline about
2 ms, most of it per-pipeline set-up. Everything else goes to :mod:`processing`.
"""

import dataclasses
import functools
import io
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage

from collection.iiif.image_api import Plan

TILE_SIZE = 256
JPEG_QUALITY = 85  # as processing.JPEG_QUALITY: a tile looks the same whichever path made it

# TIFF tags read here (TIFF 6.0 and the JPEG technote 2).
_WIDTH, _HEIGHT, _COMPRESSION, _PHOTOMETRIC, _SAMPLES = 256, 257, 259, 262, 277
_TILE_WIDTH, _TILE_HEIGHT, _TILE_OFFSETS, _TILE_BYTES, _JPEG_TABLES = 322, 323, 324, 325, 347
_SUBFILE_TYPE = 254
_JPEG = 7
# Field types: size in bytes and struct code.
_TYPES = {1: (1, "B"), 2: (1, "s"), 3: (2, "H"), 4: (4, "I"), 7: (1, "B"), 16: (8, "Q")}
# A JFIF header tells every decoder that three components are YCbCr, as libtiff stores them.
_JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
_MAX_LEVELS = 32


class NotATiledPyramid(Exception):
    """The file is not a tiled TIFF of JPEG tiles this module can read."""


class DamagedTile(Exception):
    """A stored tile cannot be decoded."""


@dataclass(frozen=True, slots=True)
class Level:
    """One pyramid level: its size, tile size and where each tile's JPEG data lies."""

    width: int
    height: int
    tile_width: int
    tile_height: int
    offsets: tuple[int, ...]
    byte_counts: tuple[int, ...]
    jpeg_tables: bytes

    @property
    def columns(self) -> int:
        return -(-self.width // self.tile_width)


@dataclass(frozen=True, slots=True)
class Pyramid:
    """The levels of a pyramidal TIFF, full size first, each half the one before."""

    path: str
    levels: tuple[Level, ...]
    # The file's modification time in ns when it was read (0 if unknown): the version of
    # every tile in it, from which copied tiles get their ETag and Last-Modified.
    version: int = 0

    @property
    def size(self) -> tuple[int, int]:
        return self.levels[0].width, self.levels[0].height

    def read_tile(self, level: int, column: int, row: int) -> bytes:
        """Tile (``column``, ``row``) of ``level`` as a complete JPEG file."""
        data = self.levels[level]
        index = row * data.columns + column
        fd = os.open(self.path, os.O_RDONLY)
        try:
            stream = os.pread(fd, data.byte_counts[index], data.offsets[index])
        finally:
            os.close(fd)
        if stream[:2] != b"\xff\xd8":
            raise DamagedTile(f"Tile {index} of level {level} is not JPEG data.")
        tables = data.jpeg_tables
        # SOI, JFIF, the shared tables (between their SOI and EOI), then the tile after its SOI.
        return b"\xff\xd8" + _JFIF + tables[2:-2] + stream[2:]


def _read_ifd(handle, offset: int, endian: str, big: bool) -> tuple[dict[int, tuple], int]:
    """The tags of the image file directory at ``offset`` and the offset of the next one."""
    handle.seek(offset)
    count_format, entry_size, value_size = ("Q", 20, 8) if big else ("H", 12, 4)
    (count,) = struct.unpack(endian + count_format, handle.read(8 if big else 2))
    if count > 4096:
        raise NotATiledPyramid("Implausible TIFF directory.")
    raw = handle.read(count * entry_size + value_size)
    tags = {}
    for i in range(count):
        entry = raw[i * entry_size : (i + 1) * entry_size]
        tag, kind = struct.unpack(endian + "HH", entry[:4])
        number = struct.unpack(endian + ("Q" if big else "I"), entry[4 : 4 + value_size])[0]
        if kind not in _TYPES:
            continue
        size, code = _TYPES[kind]
        length = size * number
        if length <= value_size:
            payload = entry[4 + value_size : 4 + value_size + length]
        else:
            (where,) = struct.unpack(endian + ("Q" if big else "I"), entry[4 + value_size :])
            here = handle.tell()
            handle.seek(where)
            payload = handle.read(length)
            handle.seek(here)
        if code in ("s", "B") and kind != 1:
            tags[tag] = (payload,)
        else:
            tags[tag] = struct.unpack(f"{endian}{number}{code}", payload)
    (following,) = struct.unpack(endian + ("Q" if big else "I"), raw[-value_size:])
    return tags, following


def _level(tags: dict[int, tuple]) -> Level:
    if tags.get(_COMPRESSION, (1,))[0] != _JPEG or _TILE_OFFSETS not in tags:
        raise NotATiledPyramid("Not a tiled TIFF with JPEG compression.")
    if tags.get(_SAMPLES, (1,))[0] not in (1, 3) or _JPEG_TABLES not in tags:
        raise NotATiledPyramid("Only grey or YCbCr JPEG tiles with shared tables are read.")
    return Level(
        width=tags[_WIDTH][0],
        height=tags[_HEIGHT][0],
        tile_width=tags[_TILE_WIDTH][0],
        tile_height=tags[_TILE_HEIGHT][0],
        offsets=tags[_TILE_OFFSETS],
        byte_counts=tags[_TILE_BYTES],
        jpeg_tables=tags[_JPEG_TABLES][0],
    )


def read_pyramid(path: str) -> Pyramid:
    """Read the directories of the pyramidal TIFF at ``path``; raise NotATiledPyramid."""
    with open(path, "rb") as handle:
        return Pyramid(path, _read_levels(handle))


def _read_levels(handle) -> tuple[Level, ...]:
    """The levels of the pyramidal TIFF open as ``handle``; raise NotATiledPyramid."""
    header = handle.read(16)
    endian = {b"II": "<", b"MM": ">"}.get(header[:2])
    if endian is None:
        raise NotATiledPyramid("Not a TIFF file.")
    (magic,) = struct.unpack(endian + "H", header[2:4])
    if magic == 42:
        big, (offset,) = False, struct.unpack(endian + "I", header[4:8])
    elif magic == 43:
        big, (offset,) = True, struct.unpack(endian + "Q", header[8:16])
    else:
        raise NotATiledPyramid("Not a TIFF file.")
    levels = []
    while offset and len(levels) < _MAX_LEVELS:
        tags, offset = _read_ifd(handle, offset, endian, big)
        levels.append(_level(tags))
    if not levels:
        raise NotATiledPyramid("The TIFF has no image.")
    for finer, coarser in zip(levels, levels[1:], strict=False):
        if abs(coarser.width - finer.width / 2) > 1 or abs(coarser.height - finer.height / 2) > 1:
            raise NotATiledPyramid("The levels do not halve in size.")
    return tuple(levels)


@functools.lru_cache(maxsize=256)
def _cached_pyramid(path: str, mtime_ns: int, size: int) -> Pyramid:
    return dataclasses.replace(read_pyramid(path), version=mtime_ns)


def open_pyramid(path: Path | str) -> Pyramid:
    """The pyramid at ``path``, its directories read once per process and file version."""
    stat = os.stat(path)
    return _cached_pyramid(str(path), stat.st_mtime_ns, stat.st_size)


def jpeg_pyramid(path: Path | str) -> Pyramid | None:
    """The pyramid at ``path`` if its tiles are JPEG (else None: libvips reads it)."""
    try:
        return open_pyramid(path)
    except NotATiledPyramid:
        return None


def grid_tile(pyramid: Pyramid, plan: Plan) -> tuple[int, int, int, tuple[int, int]] | None:
    """(level, column, row, size in the level) when ``plan`` is one tile of the stored grid
    at a stored level, in colour JPEG without rotation; else None."""
    if plan.format != "jpg" or plan.quality not in ("default", "color"):
        return None
    if plan.rotation.degrees or plan.rotation.mirror:
        return None
    box = plan.region
    factor = box.width // plan.width if plan.width else 0
    if factor < 1 or factor & (factor - 1):  # a power of two
        return None
    level = factor.bit_length() - 1
    if level >= len(pyramid.levels):
        return None
    stored = pyramid.levels[level]
    span_x, span_y = stored.tile_width * factor, stored.tile_height * factor
    if box.x % span_x or box.y % span_y:
        return None
    column, row = box.x // span_x, box.y // span_y
    left, top = column * stored.tile_width, row * stored.tile_height
    # What the stored level holds of this tile, which may be short at the edges.
    width = min(stored.tile_width, stored.width - left)
    height = min(stored.tile_height, stored.height - top)
    if width < 1 or height < 1:
        return None
    # The request must be this tile: its full size, or the edge tile give or take the pixel
    # by which the level's rounding and the request's may differ.
    expected_w = box.width == min(span_x, pyramid.size[0] - box.x)
    expected_h = box.height == min(span_y, pyramid.size[1] - box.y)
    if not (expected_w and expected_h):
        return None
    if abs(plan.width - width) > 1 or abs(plan.height - height) > 1:
        return None
    return level, column, row, (width, height)


def stored_tile(pyramid: Pyramid, plan: Plan) -> bytes | None:
    """The JPEG file answering ``plan`` when it is a whole stored tile at its stored size,
    copied without decoding (a few microseconds); else None. DamagedTile if unreadable."""
    found = grid_tile(pyramid, plan)
    return _copy(pyramid, plan, found) if found else None


def _copy(pyramid: Pyramid, plan: Plan, found) -> bytes | None:
    level, column, row, (width, height) = found
    stored = pyramid.levels[level]
    if (width, height) != (stored.tile_width, stored.tile_height):
        return None  # an edge tile: shorter than stored, so it is decoded and cropped
    if (plan.width, plan.height) != (width, height):
        return None
    return pyramid.read_tile(level, column, row)


def render_tile(pyramid: Pyramid, plan: Plan, destination: Path | str) -> bool:
    """Write ``plan`` from the stored tiles if it is one tile of the grid; return whether."""
    found = grid_tile(pyramid, plan)
    if found is None:
        return False
    jpeg = _copy(pyramid, plan, found)
    if jpeg is not None:
        with open(destination, "wb") as out:
            out.write(jpeg)
        return True
    level, column, row, (width, height) = found
    jpeg = pyramid.read_tile(level, column, row)
    try:
        tile = PILImage.open(io.BytesIO(jpeg))
        tile = tile.crop((0, 0, width, height))
        if tile.size != (plan.width, plan.height):
            tile = tile.resize((plan.width, plan.height), PILImage.Resampling.LANCZOS)
    except (OSError, SyntaxError, ValueError) as error:  # Pillow's ways of saying "damaged"
        raise DamagedTile(f"Tile {column},{row} of level {level} is damaged: {error}") from None
    tile.save(destination, "JPEG", quality=JPEG_QUALITY)
    return True
