"""The Image API 3.0 request parser: every parameter form, malformed ones, ^ rules, limits."""

from decimal import Decimal

import pytest

from collection.iiif.image_api import (
    BadRequest,
    Box,
    ImageRequest,
    Limits,
    NotImplementedFeature,
    Region,
    Rotation,
    Size,
)

FULL = Box(0, 0, 400, 300)
NO_LIMITS = Limits()


def plan(region="full", size="max", rotation="0", filename="default.jpg", limits=NO_LIMITS):
    return ImageRequest.parse(region, size, rotation, filename).resolve(400, 300, limits)


@pytest.mark.parametrize(
    ("text", "box"),
    [
        ("full", Box(0, 0, 400, 300)),
        ("square", Box(50, 0, 300, 300)),
        ("10,20,30,40", Box(10, 20, 30, 40)),
        ("350,250,100,100", Box(350, 250, 50, 50)),  # cropped at the edges
        ("pct:10,10,50,50", Box(40, 30, 200, 150)),
        ("pct:12.5,0,0.5,100", Box(50, 0, 2, 300)),
        ("pct:50,50,100,100", Box(200, 150, 200, 150)),
    ],
)
def test_regions(text, box):
    assert Region.parse(text).resolve(400, 300) == box


@pytest.mark.parametrize(
    "text",
    ["", "Full", "0,0,10", "0,0,10,10,10", "-1,0,10,10", "0,0,0,10", "0,0,10,0", "1.5,0,10,10",
     "pct:0,0,0,10", "pct:-1,0,10,10", "pct:1e1,0,10,10", "pct:a,0,10,10", "pct:+1,0,1,1",
     "squares", "0,0,10,10 ", "pct:", "10,20,30,99999999"],
)  # fmt: skip
def test_malformed_regions_are_400(text):
    with pytest.raises(BadRequest):
        Region.parse(text)


@pytest.mark.parametrize("text", ["400,0,10,10", "0,300,10,10", "pct:100,0,10,10"])
def test_regions_outside_the_image_are_400(text):
    with pytest.raises(BadRequest):
        Region.parse(text).resolve(400, 300)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("max", (400, 300)),
        ("200,", (200, 150)),
        (",150", (200, 150)),
        ("pct:50", (200, 150)),
        ("pct:12.5", (50, 38)),
        ("100,100", (100, 100)),
        ("!200,200", (200, 150)),
        ("!400,100", (133, 100)),
        ("^max", (400, 300)),  # without maxWidth/maxArea there is nothing to grow to
        ("^800,", (800, 600)),
        ("^,600", (800, 600)),
        ("^pct:150", (600, 450)),
        ("^500,500", (500, 500)),
        ("^!800,800", (800, 600)),
        ("^!100,100", (100, 75)),  # ^ allows, but does not require, enlarging
        ("^200,", (200, 150)),
    ],
)
def test_sizes(text, size):
    assert Size.parse(text).resolve(FULL, NO_LIMITS) == size


@pytest.mark.parametrize(
    "text",
    ["", "full", "MAX", "0,", ",0", "0,0", "pct:0", "pct:-5", "pct:abc", "!100", "!,100",
     "100", "100,100,", "^", "^^max", "!^100,100", "^pct:", "10.5,", "w,h", "pct:1e2"],
)  # fmt: skip
def test_malformed_sizes_are_400(text):
    with pytest.raises(BadRequest):
        Size.parse(text)


@pytest.mark.parametrize("text", ["401,", ",301", "pct:101", "400,301", "!800,800", "pct:100.5"])
def test_enlarging_without_caret_is_400(text):
    with pytest.raises(BadRequest, match="larger|enlarge"):
        Size.parse(text).resolve(FULL, NO_LIMITS)


def test_confined_size_may_exceed_the_region_in_one_direction_only():
    # Only one side of the box is larger than the region: no enlargement is needed.
    assert Size.parse("!800,150").resolve(FULL, NO_LIMITS) == (200, 150)


def test_a_size_rounding_to_zero_pixels_is_400():
    with pytest.raises(BadRequest, match="less than one pixel"):
        Size.parse("1,").resolve(Box(0, 0, 400, 1), NO_LIMITS)


def test_max_area_caps_max_and_refuses_larger_sizes():
    limits = Limits(max_area=30_000)
    assert Size.parse("max").resolve(FULL, limits) == (200, 150)
    assert Size.parse("^max").resolve(FULL, limits) == (200, 150)
    assert Size.parse("^!1000,1000").resolve(FULL, limits) == (200, 150)
    with pytest.raises(BadRequest, match="allows"):
        Size.parse("201,").resolve(FULL, limits)


def test_caret_max_grows_to_max_area():
    assert Size.parse("^max").resolve(FULL, Limits(max_area=480_000)) == (800, 600)


def test_online_size_limit_caps_resolution():
    limits = Limits.for_image(400, 300, max_online_size=100, max_area=None)
    assert (limits.max_width, limits.max_height, limits.max_scale) == (100, 75, 0.25)
    assert Size.parse("max").resolve(FULL, limits) == (100, 75)
    assert Size.parse("^max").resolve(FULL, limits) == (100, 75)
    assert Size.parse("!300,300").resolve(FULL, limits) == (100, 75)
    # A small region may not be shown at a finer scale than the whole image.
    assert Size.parse("max").resolve(Box(0, 0, 100, 100), limits) == (25, 25)
    for text in ("101,", "pct:50", "^200,150", "^pct:100"):
        with pytest.raises(BadRequest, match="allows"):
            Size.parse(text).resolve(FULL, limits)
    with pytest.raises(BadRequest, match="allows"):
        Size.parse("50,").resolve(Box(0, 0, 100, 100), limits)


@pytest.mark.parametrize(
    ("text", "mirror", "degrees", "canonical"),
    [
        ("0", False, 0, "0"),
        ("90", False, 90, "90"),
        ("!0", True, 0, "!0"),
        ("!180", True, 180, "!180"),
        ("22.5", False, Decimal("22.5"), "22.5"),
        ("22.50", False, Decimal("22.5"), "22.5"),
        ("90.0", False, 90, "90"),
        (".5", False, Decimal("0.5"), "0.5"),
        ("360", False, 0, "0"),
        ("0359.9", False, Decimal("359.9"), "359.9"),
    ],
)
def test_rotations(text, mirror, degrees, canonical):
    rotation = Rotation.parse(text)
    assert (rotation.mirror, rotation.degrees, str(rotation)) == (mirror, degrees, canonical)


@pytest.mark.parametrize(
    "text", ["", "-90", "360.1", "400", "!!0", "0!", "abc", "1e2", "+90", "90 ", "!"]
)
def test_malformed_rotations_are_400(text):
    with pytest.raises(BadRequest):
        Rotation.parse(text)


@pytest.mark.parametrize("filename", ["default.jpg", "color.png", "gray.webp", "bitonal.jpg"])
def test_qualities_and_formats(filename):
    parsed = ImageRequest.parse("full", "max", "0", filename)
    assert f"{parsed.quality}.{parsed.format}" == filename


@pytest.mark.parametrize("filename", ["default", "grey.jpg", "native.jpg", "default.jpeg",
                                      "default.JPG", "default.", ".jpg", "default.j?g"])  # fmt: skip
def test_unknown_qualities_and_formats_are_400(filename):
    with pytest.raises(BadRequest):
        ImageRequest.parse("full", "max", "0", filename)


@pytest.mark.parametrize("fmt", ["tif", "gif", "jp2", "pdf"])
def test_known_formats_not_produced_here_are_501(fmt):
    with pytest.raises(NotImplementedFeature) as error:
        ImageRequest.parse("full", "max", "0", f"default.{fmt}")
    assert error.value.status == 501


def test_syntax_errors_win_over_unsupported_formats():
    with pytest.raises(BadRequest):
        ImageRequest.parse("nonsense", "max", "0", "default.gif")


@pytest.mark.parametrize(
    ("params", "canonical"),
    [
        (("full", "max", "0", "default.jpg"), "full/max/0/default.jpg"),
        (("0,0,400,300", "400,", "360", "default.jpg"), "full/max/0/default.jpg"),
        (("pct:0,0,100,100", "pct:100", "0", "default.jpg"), "full/max/0/default.jpg"),
        (("square", "max", "0", "color.png"), "50,0,300,300/max/0/color.png"),
        (("10,20,30,40", ",20", "!90.0", "gray.jpg"), "10,20,30,40/15,20/!90/gray.jpg"),
        (("full", "!200,200", "22.50", "bitonal.webp"), "full/200,150/22.5/bitonal.webp"),
        (("full", "^800,", "0", "default.jpg"), "full/^800,600/0/default.jpg"),
        (("full", "^max", "0", "default.jpg"), "full/max/0/default.jpg"),
        (("0,0,10,10", "^pct:200", "0", "default.jpg"), "0,0,10,10/^20,20/0/default.jpg"),
    ],
)
def test_canonical_form(params, canonical):
    assert plan(*params).canonical == canonical


def test_canonical_max_with_max_area_and_upscaling():
    limits = Limits(max_area=480_000)
    assert plan(size="^max", limits=limits).canonical == "full/^max/0/default.jpg"
    assert (plan(size="^max", limits=limits).width, plan(size="^max", limits=limits).height) == (
        800,
        600,
    )


def test_rotated_response_may_not_exceed_the_online_limit():
    limits = Limits.for_image(400, 300, max_online_size=100, max_area=None)
    assert plan(rotation="90", limits=limits).canonical == "full/max/90/default.jpg"
    with pytest.raises(BadRequest, match="Rotated"):
        plan(rotation="45", limits=limits)
    assert plan(size="50,", rotation="45", limits=limits).width == 50
