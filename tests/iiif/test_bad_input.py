"""Bad input: damaged masters, decompression bombs, and generated URLs never give a 500."""

import io
from pathlib import Path

from django.core.files.images import ImageFile

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from collection.models import MuseumImage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def iiif_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"
    settings.IIIF_PYRAMID_DIR = tmp_path / "iiif-pyramids"


def make_image(fmt="JPEG", size=(300, 200)) -> MuseumImage:
    buffer = io.BytesIO()
    PILImage.effect_noise(size, 60).convert("RGB").save(buffer, fmt)
    return MuseumImage.objects.create(
        title="Noise",
        file=ImageFile(buffer, name=f"noise.{fmt.lower()}"),
        may_publish_online=True,
    )


def assert_plain_4xx(response, status=404):
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.strip()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_truncated_master_is_a_clear_404(client, fmt):
    image = make_image(fmt)
    master = Path(image.file.path)
    master.write_bytes(master.read_bytes()[: master.stat().st_size // 2])
    response = client.get(f"/iiif/3/{image.pk}/full/max/0/default.jpg")
    assert_plain_4xx(response)
    assert b"damaged" in response.content
    assert str(master).encode() not in response.content  # no server paths in public text


def test_a_master_that_is_no_image_is_a_clear_404(client):
    image = make_image()
    Path(image.file.path).write_bytes(b"<html>not an image</html>")
    assert_plain_4xx(client.get(f"/iiif/3/{image.pk}/info.json"))
    assert_plain_4xx(client.get(f"/iiif/3/{image.pk}/full/max/0/default.jpg"))


def test_a_decompression_bomb_is_refused(client, settings):
    """A small file that claims a huge size is refused from its header, never decoded."""
    image = make_image("PNG")
    bomb = PILImage.new("1", (50_000, 50_000))  # 2.5 gigapixels of zeros: a few hundred kB
    bomb.save(image.file.path, "PNG")
    response = client.get(f"/iiif/3/{image.pk}/full/100,/0/default.jpg")
    assert_plain_4xx(response)
    assert_plain_4xx(client.get(f"/iiif/3/{image.pk}/info.json"))


REGIONS = st.one_of(
    st.sampled_from(["full", "square", "0,0,10,10", "pct:0,0,50,50", "290,190,50,50", "0,0,0,5"]),
    st.builds("{},{},{},{}".format, *[st.integers(-5, 400)] * 4),
    st.builds("pct:{},{},{},{}".format, *[st.floats(-1, 150)] * 4),
    st.text(max_size=12),
)
SIZES = st.one_of(
    st.sampled_from(["max", "^max", "full", "10,", ",10", "pct:50", "^pct:200", "!50,50", "0,0"]),
    st.builds(
        "{}{},{}".format,
        st.sampled_from(["", "^", "!", "^!"]),
        st.integers(-1, 100_000),
        st.integers(-1, 5000),
    ),
    st.builds("pct:{}".format, st.decimals(allow_nan=True, allow_infinity=True)),
    st.text(max_size=12),
)
ROTATIONS = st.one_of(
    st.sampled_from(["0", "90", "!180", "360", "361", "-90", "22.5", "!0.5"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=8),
)
FILENAMES = st.builds(
    "{}.{}".format,
    st.sampled_from(["default", "color", "gray", "bitonal", "native", ""]),
    st.sampled_from(["jpg", "png", "webp", "tif", "gif", "bmp", ""]),
) | st.text(max_size=12)


@hypothesis_settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(region=REGIONS, size=SIZES, rotation=ROTATIONS, filename=FILENAMES)
def test_generated_urls_never_give_a_server_error(client, region, size, rotation, filename):
    image = MuseumImage.objects.first() or make_image()
    from urllib.parse import quote

    path = "/".join(quote(part, safe="!,:^") for part in (region, size, rotation, filename))
    response = client.get(f"/iiif/3/{image.pk}/{path}")
    assert response.status_code in (200, 400, 404, 501), (path, response.status_code)
    if response.status_code != 200:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.strip()
        assert response["Access-Control-Allow-Origin"] == "*"
