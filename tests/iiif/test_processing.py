"""Rendering with pyvips: pyramidal TIFF levels, and large masters never decoded whole."""

import subprocess
import sys
import textwrap

import pytest
import pyvips

from collection.iiif import processing
from collection.iiif.image_api import ImageRequest, Limits
from tests.site_server import ROOT

COLOURS = [(200, 30, 30), (30, 160, 30), (30, 30, 220), (240, 240, 20)]


def quadrants(width: int, height: int) -> pyvips.Image:
    """Four coloured quadrants (top left, top right, bottom left, bottom right)."""
    half_w, half_h = width // 2, height // 2
    image = pyvips.Image.black(width, height, bands=3).copy(interpretation="srgb")
    for (x, y), colour in zip(
        [(0, 0), (half_w, 0), (0, half_h), (half_w, half_h)], COLOURS, strict=True
    ):
        image = image.draw_rect(list(colour), x, y, width - half_w, height - half_h, fill=True)
    return image


def render(path, params, tmp_path, size):
    plan = ImageRequest.parse(*params.split("/")).resolve(*size, Limits())
    out = tmp_path / f"out.{plan.format}"
    processing.render(path, plan, out)
    return pyvips.Image.new_from_file(str(out))


@pytest.fixture(scope="module")
def pyramid(tmp_path_factory):
    path = tmp_path_factory.mktemp("masters") / "pyramid.tif"
    quadrants(4096, 2048).tiffsave(
        str(path),
        tile=True,
        pyramid=True,
        compression="jpeg",
        Q=90,
        tile_width=256,
        tile_height=256,
    )
    return path


@pytest.mark.parametrize(
    ("params", "quadrant"),
    [
        ("2048,0,2048,1024/256,/0/default.png", 1),
        ("0,1024,2048,1024/64,/0/default.png", 2),
        ("3000,1500,512,512/max/0/default.png", 3),
        ("full/512,/0/default.png", None),
    ],
)
def test_regions_of_a_pyramidal_tiff(pyramid, tmp_path, params, quadrant):
    out = render(pyramid, params, tmp_path, (4096, 2048))
    if quadrant is None:
        assert (out.width, out.height) == (512, 256)
        corners = [out(64, 64), out(448, 64), out(64, 192), out(448, 192)]
        for colour, expected in zip(corners, COLOURS, strict=True):
            assert all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))
    else:
        pixel = out(out.width // 2, out.height // 2)
        assert all(abs(a - b) <= 12 for a, b in zip(pixel, COLOURS[quadrant], strict=True))


def test_pyramid_level_is_chosen_for_a_downscale(pyramid):
    assert processing._tiff_pyramid_level(str(pyramid), 8.0) == (3, 8)
    assert processing._tiff_pyramid_level(str(pyramid), 1.5) is None


MEASURE = textwrap.dedent(
    """
    import re, sys
    from collection.iiif import processing
    from collection.iiif.image_api import ImageRequest, Limits
    path, params, out = sys.argv[1:]
    width, height = processing.image_size(path)
    plan = ImageRequest.parse(*params.split("/")).resolve(width, height, Limits())
    processing.render(path, plan, out)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) pytest parent.
    with open("/proc/self/status") as status:
        print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read())[1]) // 1024)
    """
)


@pytest.mark.parametrize("params", ["full/800,/0/default.jpg", "0,3000,8000,3000/400,/90/gray.png"])
def test_large_jpeg_master_is_never_decoded_whole(tmp_path, params):
    """8000x6000 decoded would take 144 MB; the whole worker process stays well below that."""
    master = tmp_path / "large.jpg"
    quadrants(8000, 6000).jpegsave(str(master), Q=80)
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(master), params, str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    peak_mb = int(result.stdout.strip())
    assert peak_mb < 120, f"peak RSS {peak_mb} MB"
