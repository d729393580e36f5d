"""Pyramids: built by a task on upload, used by the server, stored tiles copied as they are."""

import io
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
import pyvips
from PIL import Image as PILImage

from collection.iiif import tiles
from collection.iiif.image_api import ImageRequest, Limits
from collection.iiif.pyramid import MasterError, build_pyramid, current_pyramid, pyramid_path
from collection.iiif.tasks import build_pyramid as build_pyramid_task
from collection.models import MuseumImage

pytestmark = pytest.mark.django_db

WIDTH, HEIGHT = 1300, 700  # 6 x 3 tiles at full size, with short tiles at the edges


@pytest.fixture(autouse=True)
def iiif_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"
    settings.IIIF_PYRAMID_DIR = tmp_path / "iiif-pyramids"
    return settings


def gradient_jpeg(width=WIDTH, height=HEIGHT) -> bytes:
    """Red grows to the right, green downwards: every pixel says where it is."""
    xyz = pyvips.Image.xyz(width, height)
    red = (xyz[0] * 255 / width).cast("uchar")
    green = (xyz[1] * 255 / height).cast("uchar")
    blue = red * 0 + 90
    image = red.bandjoin([green, blue.cast("uchar")]).copy(interpretation="srgb")
    return image.jpegsave_buffer(Q=95)


def upload(data: bytes, name="master.jpg", **fields) -> MuseumImage:
    fields.setdefault("may_publish_online", True)
    return MuseumImage.objects.create(
        title="Gradient", file=ImageFile(io.BytesIO(data), name=name), **fields
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def plan_for(params: str, size=(WIDTH, HEIGHT)):
    return ImageRequest.parse(*params.split("/")).resolve(*size, Limits())


def test_an_upload_gets_a_pyramid_from_the_background_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = upload(gradient_jpeg())
    image = MuseumImage.objects.get(pk=image.pk)
    path = current_pyramid(image)
    assert path is not None and path == pyramid_path(image)
    assert image.pyramid_source == image.file.name
    assert path.parent.parent.name == "iiif-pyramids"  # outside MEDIA_ROOT
    pyramid = tiles.open_pyramid(path)
    assert pyramid.size == (WIDTH, HEIGHT)
    assert [(level.width, level.height) for level in pyramid.levels] == [
        (1300, 700), (650, 350), (325, 175), (162, 87),
    ]  # fmt: skip
    assert all(level.tile_width == level.tile_height == 256 for level in pyramid.levels)


def test_a_replaced_master_is_read_until_its_pyramid_is_rebuilt(
    django_capture_on_commit_callbacks,
):
    image = upload(gradient_jpeg())
    old = build_pyramid(image)
    with django_capture_on_commit_callbacks() as callbacks:
        image.file = ImageFile(io.BytesIO(gradient_jpeg(600, 400)), name="new.jpg")
        image.save()
    assert current_pyramid(image) is None  # the old pyramid is not the new master's
    for callback in callbacks:  # the transaction commits: the task runs
        callback()
    new = current_pyramid(MuseumImage.objects.get(pk=image.pk))
    assert new is not None and new != old
    assert not old.exists()
    assert tiles.open_pyramid(new).size == (600, 400)


def damaged(image: MuseumImage) -> MuseumImage:
    """Cut the stored master short, as a failed copy or a full disk would."""
    master = Path(image.file.path)
    master.write_bytes(master.read_bytes()[: master.stat().st_size // 3])
    return image


def test_the_task_reports_a_damaged_master_and_records_nothing():
    image = damaged(upload(gradient_jpeg()))
    result = build_pyramid_task.enqueue(image.pk)
    assert result.return_value.startswith("failed: ")
    # (Not refresh_from_db: Wagtail would decode the damaged file to read its size.)
    assert MuseumImage.objects.get(pk=image.pk).pyramid_source == ""
    assert not list(pyramid_path(image).parent.glob("*"))


def test_masters_over_the_pixel_limit_are_refused(settings):
    settings.IIIF_MAX_MASTER_PIXELS = WIDTH * HEIGHT - 1
    with pytest.raises(MasterError, match="more than"):
        build_pyramid(upload(gradient_jpeg()))


def test_the_server_reads_the_pyramid_and_copies_grid_tiles(client):
    image = upload(gradient_jpeg())
    pyramid = tiles.open_pyramid(build_pyramid(image))
    # Make the master unreadable: everything must now come from the pyramid.
    with open(image.file.path, "wb") as master:
        master.write(b"not an image any more")
    assert client.get(f"/iiif/3/{image.pk}/info.json").json()["width"] == WIDTH
    # An interior tile at full size and one at scale factor 2: the stored bytes, as they are.
    for rest, (level, column, row) in [
        ("256,256,256,256/256,256/0/default.jpg", (0, 1, 1)),
        ("512,0,512,512/256,/0/default.jpg", (1, 1, 0)),
    ]:
        response = client.get(f"/iiif/3/{image.pk}/{rest}")
        assert response.status_code == 200
        assert body(response) == pyramid.read_tile(level, column, row)
    # Anything else is rendered from the pyramid too: a downscale and an odd region.
    for rest, size in [
        ("full/400,/0/default.png", (400, 215)),
        ("10,10,300,300/max/90/gray.jpg", (300, 300)),
    ]:
        response = client.get(f"/iiif/3/{image.pk}/{rest}")
        assert response.status_code == 200, body(response)
        assert PILImage.open(io.BytesIO(body(response))).size == size


def test_edge_tiles_are_cropped_to_the_image(client):
    image = upload(gradient_jpeg())
    build_pyramid(image)
    # The last column at full size is 1300 - 5 * 256 = 20 px wide; the last row 700 - 512.
    response = client.get(f"/iiif/3/{image.pk}/1280,512,20,188/max/0/default.jpg")
    tile = PILImage.open(io.BytesIO(body(response))).convert("RGB")
    assert tile.size == (20, 188)
    red, green, _blue = tile.getpixel((10, 94))
    assert abs(red - 255 * 1290 / WIDTH) < 6 and abs(green - 255 * 606 / HEIGHT) < 6
    # At scale factor 8 the level is 162 x 87: the request's rounding says 163 x 88.
    response = client.get(f"/iiif/3/{image.pk}/full/163,88/0/default.jpg")
    assert PILImage.open(io.BytesIO(body(response))).size == (163, 88)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("256,256,256,256/256,256/0/default.jpg", (0, 1, 1, (256, 256))),
        ("1024,512,256,188/max/0/default.jpg", (0, 4, 2, (256, 188))),
        ("0,0,1024,700/256,/0/default.jpg", (2, 0, 0, (256, 175))),
        ("256,256,256,256/256,256/0/default.png", None),  # only JPEG is stored
        ("256,256,256,256/256,256/0/gray.jpg", None),
        ("256,256,256,256/256,256/90/default.jpg", None),
        ("256,256,256,256/256,256/!0/default.jpg", None),
        ("128,0,256,256/256,256/0/default.jpg", None),  # off the grid
        ("0,0,512,512/128,128/0/default.jpg", None),  # scale factor 4 from a 2-level tile
        ("0,0,384,384/128,128/0/default.jpg", None),  # scale factor 3: no such level
    ],
)
def test_which_requests_are_grid_tiles(params, expected):
    image = upload(gradient_jpeg())
    pyramid = tiles.open_pyramid(build_pyramid(image))
    assert tiles.grid_tile(pyramid, plan_for(params)) == expected


def test_a_master_with_transparency_keeps_it_in_lossless_tiles(client):
    picture = PILImage.new("RGBA", (300, 200), (200, 0, 0, 0))
    picture.paste((0, 0, 200, 255), (0, 0, 150, 200))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    image = upload(buffer.getvalue(), name="alpha.png")
    path = build_pyramid(image)
    assert pyvips.Image.new_from_file(str(path)).get("bands") == 4
    with pytest.raises(tiles.NotATiledPyramid):
        tiles.read_pyramid(str(path))
    response = client.get(f"/iiif/3/{image.pk}/full/max/0/default.png")
    out = PILImage.open(io.BytesIO(body(response)))
    assert out.mode == "RGBA" and out.getpixel((250, 100))[3] == 0


def test_build_pyramids_command(capsys):
    first, second = upload(gradient_jpeg()), upload(gradient_jpeg(300, 200))
    broken = damaged(upload(gradient_jpeg()))
    build_pyramid(first)
    with pytest.raises(CommandError, match="1 images could not be converted"):
        call_command("build_pyramids")
    out, err = capsys.readouterr()
    assert "2/2 pyramids" in out
    assert "1 pyramids built, 1 failed, 1 already up to date." in out
    assert f"image {broken.pk}: The master" in err
    assert current_pyramid(MuseumImage.objects.get(pk=second.pk)) is not None
    call_command("build_pyramids", str(first.pk), "--all")
    assert "1 pyramids built, 0 failed" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No image with id 999"):
        call_command("build_pyramids", "999")


def test_iiif_ingest_builds_the_pyramid(tmp_path, capsys):
    master = tmp_path / "big.jpg"
    master.write_bytes(gradient_jpeg())
    call_command("iiif_ingest", str(master))
    image = MuseumImage.objects.get(pk=int(capsys.readouterr().out))
    assert (image.width, image.height) == (WIDTH, HEIGHT)
    assert current_pyramid(image) is not None
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(gradient_jpeg()[:2000])
    with pytest.raises(CommandError, match="broken.jpg"):
        call_command("iiif_ingest", str(broken))
    assert MuseumImage.objects.count() == 1


def test_a_copied_tile_is_stored_on_its_second_request_with_one_etag(client, settings):
    image = upload(gradient_jpeg())
    pyramid = tiles.open_pyramid(build_pyramid(image))
    rest = "256,256,256,256/256,/0/default.jpg"  # a viewer's spelling; canonical is max
    stored = Path(settings.IIIF_CACHE_DIR) / str(image.pk) / "256,256,256,256_max_0_default.jpg"
    first = client.get(f"/iiif/3/{image.pk}/{rest}")
    assert first.status_code == 200 and first["Content-Type"] == "image/jpeg"
    assert body(first) == pyramid.read_tile(0, 1, 1)
    assert first["Content-Length"] == str(len(body(first)))
    assert first["Access-Control-Allow-Origin"] == "*"
    assert 'rel="canonical"' in first["Link"] and "256,256,256,256/max/0/" in first["Link"]
    assert not stored.exists()  # asked once: answered from the pyramid, nothing written
    second = client.get(f"/iiif/3/{image.pk}/{rest}")
    assert body(second) == body(first)
    assert stored.read_bytes() == body(first)  # asked twice: now nginx can answer it
    # Under the requested spelling too, as one file.
    alias = stored.with_name("256,256,256,256_256,_0_default.jpg")
    assert alias.stat().st_ino == stored.stat().st_ino
    # The file carries the pyramid's time, so nginx's ETag ("mtime-size" in hex) is ours.
    stat = stored.stat()
    assert first["ETag"] == second["ETag"] == f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'
    third = client.get(f"/iiif/3/{image.pk}/{rest}")  # from the stored file now
    assert third["ETag"] == first["ETag"]
    assert third["Last-Modified"] == first["Last-Modified"]


def test_a_copied_tile_answers_conditional_and_head_requests(client):
    image = upload(gradient_jpeg())
    build_pyramid(image)
    url = f"/iiif/3/{image.pk}/512,256,256,256/256,256/0/default.jpg"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == client.get(url)["Content-Length"] != "0"


def test_a_damaged_tile_in_the_pyramid_is_a_404_not_an_error(client):
    image = upload(gradient_jpeg())
    path = build_pyramid(image)
    pyramid = tiles.open_pyramid(path)
    level = pyramid.levels[0]
    # Damage two stored tiles, the file keeping its size and layout: an interior one, which is
    # copied (its start, so it is no JPEG data at all), and an edge one, which is decoded and
    # cropped (after its start marker, so only decoding finds out).
    with open(path, "r+b") as handle:
        for index, keep in ((1 * level.columns + 1, 0), (5, 2)):
            handle.seek(level.offsets[index] + keep)
            handle.write(b"\x00" * min(64, level.byte_counts[index] - keep))
    for rest in ("256,256,256,256/256,256/0/default.jpg", "1280,0,20,256/20,256/0/default.jpg"):
        response = client.get(f"/iiif/3/{image.pk}/{rest}")
        assert response.status_code == 404, rest
        assert response["Content-Type"].startswith("text/plain")
        assert b"damaged" in response.content
    # The rest of the image is still served.
    assert client.get(f"/iiif/3/{image.pk}/0,0,256,256/256,256/0/default.jpg").status_code == 200
