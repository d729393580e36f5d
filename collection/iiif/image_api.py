"""IIIF Image API 3.0 requests: parsing, validation and resolution against one image.

Everything here is pure Python (no Django, no pyvips), so the rules can be tested on their
own. A request goes through two steps:

1. :meth:`ImageRequest.parse` checks the syntax of ``{region}/{size}/{rotation}/{quality}.{format}``
   and raises :class:`BadRequest` (400) for anything malformed and :class:`NotImplementedFeature`
   (501) for a valid IIIF value this server does not produce.
2. :meth:`ImageRequest.resolve` applies it to an image of known size and limits, giving a
   :class:`Plan` in pixels with its canonical form, or :class:`BadRequest` when the request
   cannot be met (region outside the image, a size that needs ``^``, a size over the limits).
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# A non-negative decimal as the spec allows it: digits and at most one ".", no sign or
# exponent ("0.9", "10", "1.", ".5" are read; "+1", "1e3", "-0" are not).
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_INT = r"\d+"
# Big enough for any real image, small enough that arithmetic on it never gets silly.
MAX_PARAMETER = 1_000_000

_REGION_PX = re.compile(rf"({_INT}),({_INT}),({_INT}),({_INT})")
_REGION_PCT = re.compile(rf"pct:({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER})")
_SIZE_W = re.compile(rf"({_INT}),")
_SIZE_H = re.compile(rf",({_INT})")
_SIZE_WH = re.compile(rf"({_INT}),({_INT})")
_SIZE_CONFINED = re.compile(rf"!({_INT}),({_INT})")
_SIZE_PCT = re.compile(rf"pct:({_NUMBER})")
_ROTATION = re.compile(rf"(!?)({_NUMBER})")

QUALITIES = ("default", "color", "gray", "bitonal")
FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Valid IIIF formats that this server does not produce: a 501, not a 400 (spec 7.3).
UNSUPPORTED_FORMATS = {"tif", "gif", "jp2", "pdf"}


class IIIFError(Exception):
    """An image request that cannot be served; ``status`` is the HTTP status to answer."""

    status = 400

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BadRequest(IIIFError):
    """Malformed, or impossible for this image (400)."""

    status = 400


class NotImplementedFeature(IIIFError):
    """A valid IIIF request for something this server does not implement (501)."""

    status = 501


def _int(text: str, what: str) -> int:
    value = int(text)
    if value > MAX_PARAMETER:
        raise BadRequest(f"The {what} {text} is too large.")
    return value


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:  # the regular expressions make this unreachable; be explicit
        raise BadRequest(f"The {what} {text!r} is not a number.") from None
    if value > MAX_PARAMETER:
        raise BadRequest(f"The {what} {text} is too large.")
    return value


def format_number(value: Decimal) -> str:
    """A decimal in the spec's canonical form: an integer if possible, else no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    return text if not text.startswith(".") else "0" + text


def _round(value: float) -> int:
    """Round half up: Python's round() rounds half to even, which would make 0.5 px vanish."""
    return math.floor(value + 0.5)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle of the full image in pixels."""

    x: int
    y: int
    width: int
    height: int

    def __str__(self):
        return f"{self.x},{self.y},{self.width},{self.height}"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one image may be served at.

    ``max_width``/``max_height`` and ``max_area`` are the spec's technical properties.
    ``max_scale`` caps the resolution: no output may show the master at more than this
    fraction of its pixels (a lender's "largest size allowed online" of 1,000 px on a
    4,000 px master is 0.25), so tiles cannot be stitched into a larger image than allowed.
    """

    max_width: int | None = None
    max_height: int | None = None
    max_area: int | None = None
    max_scale: float | None = None

    @classmethod
    def for_image(
        cls, width: int, height: int, max_online_size: int | None, max_area: int | None
    ) -> "Limits":
        """Limits for a ``width`` x ``height`` image whose longest side online is ``max_online_size``."""
        if not max_online_size:
            return cls(max_area=max_area)
        scale = max_online_size / max(width, height)
        max_width, max_height = _round(width * scale), _round(height * scale)
        if max_area and max_width * max_height > max_area:
            # The area limit is the tighter one: advertise what `max` really gives.
            area_scale = math.sqrt(max_area / (width * height))
            max_width, max_height = math.floor(width * area_scale), math.floor(height * area_scale)
        return cls(
            max_width=max(1, max_width),
            max_height=max(1, max_height),
            max_area=max_area,
            max_scale=scale,
        )

    def scale_for(self, width: int, height: int) -> float:
        """The largest scale a ``width`` x ``height`` region may be served at (may exceed 1;
        infinite without limits)."""
        scales = []
        if self.max_width:
            scales.append(self.max_width / width)
        if self.max_height:
            scales.append(self.max_height / height)
        if self.max_area:
            scales.append(math.sqrt(self.max_area / (width * height)))
        if self.max_scale:
            scales.append(self.max_scale)
        return min(scales) if scales else math.inf

    def allows_response(self, width: int, height: int) -> bool:
        """Whether a response image (after rotation) of ``width`` x ``height`` is within limits.

        A rotated image keeps its content's scale but its bounding box grows; the box may
        still not be longer than the longest side allowed, nor larger in area.
        """
        longest = max(self.max_width or 0, self.max_height or 0)
        if longest and max(width, height) > longest:
            return False
        return not (self.max_area and width * height > self.max_area)

    def allows(self, region: Box, width: int, height: int) -> bool:
        """Whether an output of ``width`` x ``height`` from ``region`` is within every limit."""
        if self.max_width and width > self.max_width:
            return False
        if self.max_height and height > self.max_height:
            return False
        if self.max_area and width * height > self.max_area:
            return False
        if self.max_scale:
            # One pixel of slack absorbs rounding; it cannot add real detail.
            if width > region.width * self.max_scale + 1:
                return False
            if height > region.height * self.max_scale + 1:
                return False
        return True


@dataclass(frozen=True, slots=True)
class Region:
    """The region parameter: ``full``, ``square``, ``x,y,w,h`` or ``pct:x,y,w,h``."""

    kind: str  # "full", "square", "pixels" or "percent"
    values: tuple = ()

    @classmethod
    def parse(cls, text: str) -> "Region":
        """Read a region parameter, or raise :class:`BadRequest`."""
        if text in ("full", "square"):
            return cls(text)
        if match := _REGION_PX.fullmatch(text):
            values = tuple(_int(group, "region value") for group in match.groups())
            if values[2] == 0 or values[3] == 0:
                raise BadRequest("A region must have a width and height above zero.")
            return cls("pixels", values)
        if match := _REGION_PCT.fullmatch(text):
            values = tuple(_decimal(group, "region percentage") for group in match.groups())
            if values[2] == 0 or values[3] == 0:
                raise BadRequest("A region must have a width and height above zero.")
            return cls("percent", values)
        raise BadRequest(f"Invalid region {text!r}: use full, square, x,y,w,h or pct:x,y,w,h.")

    def resolve(self, width: int, height: int) -> Box:
        """The region of a ``width`` x ``height`` image in pixels, cropped at its edges."""
        if self.kind == "full":
            return Box(0, 0, width, height)
        if self.kind == "square":
            side = min(width, height)
            return Box((width - side) // 2, (height - side) // 2, side, side)
        if self.kind == "pixels":
            x, y, w, h = self.values
            right, bottom = x + w, y + h
        else:
            px, py, pw, ph = (float(value) for value in self.values)
            # Edges rather than sizes are rounded, so neighbouring regions share an edge.
            x, y = _round(px * width / 100), _round(py * height / 100)
            right, bottom = _round((px + pw) * width / 100), _round((py + ph) * height / 100)
        if x >= width or y >= height:
            raise BadRequest(f"The region lies outside the image ({width}x{height}).")
        right, bottom = min(right, width), min(bottom, height)
        if right <= x or bottom <= y:
            raise BadRequest("The region is less than one pixel wide or high.")
        return Box(x, y, right - x, bottom - y)


@dataclass(frozen=True, slots=True)
class Size:
    """The size parameter: ``max``, ``w,``, ``,h``, ``pct:n``, ``w,h``, ``!w,h``, each with ``^``."""

    kind: str  # "max", "width", "height", "percent", "exact" or "confined"
    upscale: bool = False
    width: int | None = None
    height: int | None = None
    percent: Decimal | None = None

    @classmethod
    def parse(cls, text: str) -> "Size":
        """Read a size parameter, or raise :class:`BadRequest`."""
        upscale = text.startswith("^")
        body = text[1:] if upscale else text
        if body == "max":
            return cls("max", upscale)
        if match := _SIZE_W.fullmatch(body):
            size = cls("width", upscale, width=_int(match[1], "width"))
        elif match := _SIZE_H.fullmatch(body):
            size = cls("height", upscale, height=_int(match[1], "height"))
        elif match := _SIZE_WH.fullmatch(body):
            size = cls("exact", upscale, _int(match[1], "width"), _int(match[2], "height"))
        elif match := _SIZE_CONFINED.fullmatch(body):
            size = cls("confined", upscale, _int(match[1], "width"), _int(match[2], "height"))
        elif match := _SIZE_PCT.fullmatch(body):
            percent = _decimal(match[1], "percentage")
            if percent == 0:
                raise BadRequest("A size of 0 percent is empty.")
            if percent > 100 and not upscale:
                raise BadRequest(f"pct:{match[1]} would enlarge the image: use ^pct:{match[1]}.")
            return cls("percent", upscale, percent=percent)
        else:
            if body == "full":
                # Image API 2 spelling; naming it helps people porting old URLs.
                raise BadRequest("Invalid size 'full': Image API 3.0 calls it max.")
            raise BadRequest(
                f"Invalid size {text!r}: use max, w, ,h, pct:n, w,h or !w,h (each may start with ^)."
            )
        if size.width == 0 or size.height == 0:
            raise BadRequest("A size must be at least one pixel wide and high.")
        return size

    def resolve(self, region: Box, limits: Limits) -> tuple[int, int]:
        """The output size in pixels for ``region``, or :class:`BadRequest`."""
        rw, rh = region.width, region.height
        cap = limits.scale_for(rw, rh)
        if self.kind == "max":
            # `max` never enlarges; `^max` grows to the limits (spec 4.2), if there are any.
            scale = cap if self.upscale and math.isfinite(cap) else min(1.0, cap)
            width, height = _fit(rw, rh, scale, limits, region)
        elif self.kind == "confined":
            scale = min(self.width / rw, self.height / rh)
            if scale > 1 and not self.upscale:
                # The spec lets !w,h return the region unenlarged, but the official
                # validator (size_noup) insists on an error: without ^, a box larger than
                # the region in both directions is refused, like every other enlargement.
                raise BadRequest(
                    f"!{self.width},{self.height} would enlarge the region "
                    f"({rw}x{rh}): use ^!{self.width},{self.height}."
                )
            # Server limits shrink the box silently: "as large as possible" (spec 4.2).
            scale = min(scale, cap)
            width, height = _fit(rw, rh, scale, limits, region)
            width, height = min(width, self.width), min(height, self.height)
        elif self.kind == "width":
            width, height = self.width, _round(rh * self.width / rw)
        elif self.kind == "height":
            width, height = _round(rw * self.height / rh), self.height
        elif self.kind == "percent":
            factor = float(self.percent) / 100
            width, height = _round(rw * factor), _round(rh * factor)
        else:
            width, height = self.width, self.height
        if width < 1 or height < 1:
            raise BadRequest(f"The size would be less than one pixel ({width}x{height}).")
        if (width > rw or height > rh) and not self.upscale:
            raise BadRequest(
                f"The size {width}x{height} is larger than the region ({rw}x{rh}): "
                "enlarging needs the ^ prefix."
            )
        if not limits.allows(region, width, height):
            raise BadRequest(f"The size {width}x{height} is larger than this image allows.")
        return width, height


def _fit(rw: int, rh: int, scale: float, limits: Limits, region: Box) -> tuple[int, int]:
    """``rw`` x ``rh`` scaled by ``scale``, rounded, and brought within ``limits``.

    Rounding to nearest can cross a limit by a pixel; rounding down never does.
    """
    width, height = max(1, _round(rw * scale)), max(1, _round(rh * scale))
    if not limits.allows(region, width, height):
        width, height = max(1, math.floor(rw * scale)), max(1, math.floor(rh * scale))
    return width, height


@dataclass(frozen=True, slots=True)
class Rotation:
    """The rotation parameter: degrees clockwise (0-360), mirrored first when ``mirror``."""

    mirror: bool
    degrees: Decimal

    @classmethod
    def parse(cls, text: str) -> "Rotation":
        """Read a rotation parameter, or raise :class:`BadRequest`."""
        match = _ROTATION.fullmatch(text)
        if not match:
            raise BadRequest(f"Invalid rotation {text!r}: use n or !n, n from 0 to 360.")
        degrees = _decimal(match[2], "rotation")
        if degrees > 360:
            raise BadRequest(f"Invalid rotation {text!r}: it must be from 0 to 360.")
        # 360 turns the image full circle: serve (and cache) it as 0.
        return cls(mirror=bool(match[1]), degrees=Decimal(0) if degrees == 360 else degrees)

    @property
    def is_right_angle(self) -> bool:
        """Whether this is 0, 90, 180 or 270 degrees (lossless, no background)."""
        return self.degrees % 90 == 0

    def __str__(self):
        return ("!" if self.mirror else "") + format_number(self.degrees)


def rotated_size(width: int, height: int, rotation: Rotation) -> tuple[int, int]:
    """The bounding box of a ``width`` x ``height`` image after ``rotation``."""
    radians = math.radians(float(rotation.degrees))
    cos, sin = abs(math.cos(radians)), abs(math.sin(radians))
    # Below a thousandth of a pixel the bounding box has not really grown.
    return (
        math.ceil(width * cos + height * sin - 1e-3),
        math.ceil(width * sin + height * cos - 1e-3),
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """A request resolved to pixels for one image: what to render and its canonical form."""

    region: Box
    width: int
    height: int
    rotation: Rotation
    quality: str
    format: str
    canonical: str

    @property
    def content_type(self) -> str:
        """The media type of the rendered image."""
        return FORMATS[self.format]

    @property
    def cache_name(self) -> str:
        """Every pixel decision in one string: equal names render equal images."""
        return (
            f"{self.region}/{self.width},{self.height}/{self.rotation}/{self.quality}.{self.format}"
        )


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """One parsed image request, not yet applied to an image."""

    region: Region
    size: Size
    rotation: Rotation
    quality: str
    format: str

    @classmethod
    def parse(cls, region: str, size: str, rotation: str, filename: str) -> "ImageRequest":
        """Parse the four path segments after the identifier (the last is ``quality.format``).

        Raises :class:`BadRequest` for malformed values and :class:`NotImplementedFeature`
        for a valid IIIF format that this server does not produce.
        """
        quality, dot, fmt = filename.rpartition(".")
        if not dot:
            raise BadRequest(f"Invalid {filename!r}: expected quality.format, e.g. default.jpg.")
        parsed = cls(Region.parse(region), Size.parse(size), Rotation.parse(rotation), quality, fmt)
        if quality not in QUALITIES:
            raise BadRequest(f"Invalid quality {quality!r}: use {', '.join(QUALITIES)}.")
        if fmt in UNSUPPORTED_FORMATS:
            raise NotImplementedFeature(
                f"The format {fmt!r} is not available here: use {', '.join(FORMATS)}."
            )
        if fmt not in FORMATS:
            raise BadRequest(f"Invalid format {fmt!r}: use {', '.join(FORMATS)}.")
        return parsed

    def resolve(self, width: int, height: int, limits: Limits) -> Plan:
        """Apply this request to a ``width`` x ``height`` image within ``limits``."""
        box = self.region.resolve(width, height)
        out_width, out_height = self.size.resolve(box, limits)
        full = box == Box(0, 0, width, height)
        max_width, max_height = _fit(
            box.width, box.height, min(1.0, limits.scale_for(box.width, box.height)), limits, box
        )
        enlarged = out_width > box.width or out_height > box.height
        if (out_width, out_height) == (max_width, max_height):
            size = "max"
        elif self.size.kind == "max" and self.size.upscale:
            size = "^max"
        else:
            size = f"{'^' if enlarged else ''}{out_width},{out_height}"
        if not limits.allows_response(*rotated_size(out_width, out_height, self.rotation)):
            raise BadRequest("Rotated, the image would be larger than this image allows.")
        canonical = f"{'full' if full else box}/{size}/{self.rotation}/{self.quality}.{self.format}"
        return Plan(box, out_width, out_height, self.rotation, self.quality, self.format, canonical)
