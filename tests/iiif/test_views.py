"""The IIIF endpoints through Django's test client: documents, images, headers, visibility."""

import io
import os

from django.core.files.images import ImageFile

import pytest
from PIL import Image as PILImage

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.iiif.access import image_identifier, web_images
from collection.models import MuseumImage, ObjectImage

pytestmark = pytest.mark.django_db

JSON_LD = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
QUADRANTS = {"tl": (200, 0, 0), "tr": (0, 160, 0), "bl": (0, 0, 220), "br": (240, 240, 0)}


@pytest.fixture(autouse=True)
def iiif_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"
    return settings.IIIF_CACHE_DIR


def quadrant_png(width=400, height=300) -> bytes:
    """Four coloured quadrants, so crops, mirroring and rotation can be checked."""
    picture = PILImage.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    for name, box in {
        "tl": (0, 0, half_w, half_h),
        "tr": (half_w, 0, width, half_h),
        "bl": (0, half_h, half_w, height),
        "br": (half_w, half_h, width, height),
    }.items():
        picture.paste(QUADRANTS[name], box)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def make_image(**fields) -> MuseumImage:
    fields.setdefault("may_publish_online", True)
    return MuseumImage.objects.create(
        title="Quadrants",
        file=ImageFile(io.BytesIO(quadrant_png()), name="quadrants.png"),
        **fields,
    )


@pytest.fixture
def image() -> MuseumImage:
    return make_image(rights_statement="http://creativecommons.org/publicdomain/zero/1.0/")


def url(image, rest="info.json") -> str:
    return f"/iiif/3/{image_identifier(image)}/{rest}"


def picture(response) -> PILImage.Image:
    return PILImage.open(io.BytesIO(b"".join(response.streaming_content)))


def colour_at(img: PILImage.Image, x: int, y: int) -> tuple:
    return img.convert("RGB").getpixel((x, y))


def close(colour, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


# --- info.json -----------------------------------------------------------------------------


def test_info_json(client, image):
    response = client.get(url(image))
    assert response.status_code == 200
    assert response["Content-Type"] == JSON_LD
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Link"] == '<http://iiif.io/api/image/3/level2.json>;rel="profile"'
    assert "Accept" in response["Vary"]
    info = response.json()
    assert list(info)[0] == "@context"
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://testserver/iiif/3/{image.pk}"
    assert info["type"] == "ImageService3"
    assert info["protocol"] == "http://iiif.io/api/image"
    assert info["profile"] == "level2"
    assert (info["width"], info["height"]) == (400, 300)
    assert "maxWidth" not in info and "maxHeight" not in info
    assert info["maxArea"] == 12_000_000
    assert info["sizes"][-1] == {"width": 400, "height": 300}
    assert info["tiles"] == [{"width": 256, "height": 256, "scaleFactors": [1, 2]}]
    assert info["extraQualities"] == ["color", "gray", "bitonal"]
    assert info["extraFormats"] == ["png", "webp"]
    assert {"mirroring", "rotationArbitrary", "regionSquare", "sizeUpscaling"} <= set(
        info["extraFeatures"]
    )
    assert info["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    # Public output names its fields: nothing about the file or the lender leaks.
    assert set(info) == {
        "@context", "id", "type", "protocol", "profile", "width", "height", "maxArea",
        "sizes", "tiles", "rights", "extraQualities", "extraFormats", "extraFeatures",
    }  # fmt: skip


def test_info_json_id_follows_the_request_host(client, image, settings):
    settings.ALLOWED_HOSTS = ["images.example.org"]
    info = client.get(url(image), HTTP_HOST="images.example.org").json()
    assert info["id"] == f"http://images.example.org/iiif/3/{image.pk}"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/ld+json", JSON_LD),
        ("application/json", "application/json"),
        ("application/json, application/ld+json;q=0.5", "application/json"),
        ("*/*", JSON_LD),
        ("text/html", JSON_LD),
    ],
)
def test_info_json_content_negotiation(client, image, accept, content_type):
    assert client.get(url(image), HTTP_ACCEPT=accept)["Content-Type"] == content_type


def test_base_uri_redirects_to_info_json(client, image):
    response = client.get(f"/iiif/3/{image.pk}")
    assert response.status_code == 303
    assert response["Location"] == f"http://testserver/iiif/3/{image.pk}/info.json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_tiles_of_a_large_image(client):
    image = MuseumImage.objects.create(
        title="Wide",
        may_publish_online=True,
        file=ImageFile(io.BytesIO(quadrant_png(3000, 1000)), name="wide.png"),
    )
    info = client.get(url(image)).json()
    assert info["tiles"][0]["scaleFactors"] == [1, 2, 4, 8, 16]
    assert info["sizes"][0] == {"width": 94, "height": 32}


# --- visibility ------------------------------------------------------------------------------


def assert_hidden(client, image):
    for path in (f"/iiif/3/{image.pk}", url(image), url(image, "full/max/0/default.jpg")):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.content == b"No image with this identifier.\n"


@pytest.mark.parametrize("identifier", ["999999", "abc", "01", "1.5", "-1", "0"])
def test_unknown_identifiers_are_404(client, image, identifier):
    for rest in ("", "/info.json", "/full/max/0/default.jpg"):
        response = client.get(f"/iiif/3/{identifier}{rest}")
        assert response.status_code == 404
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_unescaped_slash_in_identifier_is_404(client, image):
    response = client.get(f"/iiif/3/a/{image.pk}/full/max/0/default.jpg")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_image_not_allowed_online_is_404(client):
    assert_hidden(client, make_image(may_publish_online=False))


def test_image_of_an_unpublished_object_only_is_404(client, image):
    ObjectImage.objects.create(object=ObjectRecordFactory(is_published=False), image=image)
    assert_hidden(client, image)


def test_image_shown_by_one_published_object_is_served(client, image):
    ObjectImage.objects.create(object=ObjectRecordFactory(is_published=False), image=image)
    ObjectImage.objects.create(object=ObjectRecordFactory(), image=image)
    assert client.get(url(image)).status_code == 200


def test_image_of_a_sensitive_uncleared_object_is_404(client, image):
    ObjectImage.objects.create(object=ObjectRecordFactory(contains_human_remains=True), image=image)
    assert_hidden(client, image)


def test_image_of_a_loan_whose_lender_forbids_online_publication_is_404(client, image):
    lender = LenderFactory()
    loaned = ObjectRecordFactory(lender=lender)
    LoanAgreementFactory(lender=lender, loaned_objects=[loaned], online_publication_allowed=False)
    ObjectImage.objects.create(object=loaned, image=image)
    assert_hidden(client, image)


def test_image_of_a_loan_allowed_online_is_served(client, image):
    lender = LenderFactory()
    loaned = ObjectRecordFactory(lender=lender)
    LoanAgreementFactory(lender=lender, loaned_objects=[loaned], online_publication_allowed=True)
    ObjectImage.objects.create(object=loaned, image=image)
    assert client.get(url(image, "full/max/0/default.jpg")).status_code == 200
    assert list(web_images()) == [image]


# --- images ----------------------------------------------------------------------------------


def test_full_max(client, image):
    response = client.get(url(image, "full/max/0/default.jpg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Link"] == (
        f'<http://testserver/iiif/3/{image.pk}/full/max/0/default.jpg>;rel="canonical", '
        '<http://iiif.io/api/image/3/level2.json>;rel="profile"'
    )
    img = picture(response)
    assert (img.format, img.size) == ("JPEG", (400, 300))
    assert close(colour_at(img, 50, 50), QUADRANTS["tl"])
    assert close(colour_at(img, 350, 250), QUADRANTS["br"])


@pytest.mark.parametrize(
    ("rest", "size", "canonical"),
    [
        ("full/pct:50/0/default.png", (200, 150), "full/200,150/0/default.png"),
        ("full/!100,100/0/default.jpg", (100, 75), "full/100,75/0/default.jpg"),
        ("full/^800,600/0/default.jpg", (800, 600), "full/^800,600/0/default.jpg"),
        ("full/^pct:150/0/default.webp", (600, 450), "full/^600,450/0/default.webp"),
        ("200,0,200,150/max/0/default.png", (200, 150), "200,0,200,150/max/0/default.png"),
        ("pct:50,50,50,50/100,/0/default.png", (100, 75), "200,150,200,150/100,75/0/default.png"),
        ("square/,30/0/default.jpg", (30, 30), "50,0,300,300/30,30/0/default.jpg"),
        ("full/max/90/default.jpg", (300, 400), "full/max/90/default.jpg"),
    ],
)
def test_regions_and_sizes(client, image, rest, size, canonical):
    response = client.get(url(image, rest))
    assert response.status_code == 200, response.content
    assert picture(response).size == size
    assert response["Link"].startswith(f"<http://testserver/iiif/3/{image.pk}/{canonical}>")


def test_region_shows_the_right_part(client, image):
    img = picture(client.get(url(image, "200,0,200,150/max/0/default.png")))
    assert close(colour_at(img, 100, 75), QUADRANTS["tr"], tolerance=0)


def test_mirroring_and_rotation(client, image):
    mirrored = picture(client.get(url(image, "full/max/!0/default.png")))
    assert close(colour_at(mirrored, 50, 50), QUADRANTS["tr"], tolerance=0)
    rotated = picture(client.get(url(image, "full/max/90/default.png")))
    # Clockwise: the top left quadrant moves to the top right.
    assert close(colour_at(rotated, 250, 50), QUADRANTS["tl"], tolerance=0)
    both = picture(client.get(url(image, "full/max/!90/default.png")))
    assert close(colour_at(both, 250, 50), QUADRANTS["tr"], tolerance=0)


def test_arbitrary_rotation_png_is_transparent_and_jpg_white(client, image):
    png = picture(client.get(url(image, "full/max/45/default.png")))
    assert png.mode == "RGBA" and png.size == (495, 495)
    assert png.getpixel((0, 0))[3] == 0
    assert png.getpixel((247, 247))[3] == 255
    jpg = picture(client.get(url(image, "full/max/22.5/default.jpg")))
    assert close(colour_at(jpg, 0, 0), (255, 255, 255), tolerance=3)


@pytest.mark.parametrize("fmt", ["jpg", "png", "webp"])
def test_gray_and_bitonal(client, image, fmt):
    gray = picture(client.get(url(image, f"full/max/0/gray.{fmt}")))
    red, green, blue = colour_at(gray, 50, 50)
    assert abs(red - green) <= 2 and abs(green - blue) <= 2
    bitonal = picture(client.get(url(image, f"full/max/0/bitonal.{fmt}"))).convert("L")
    tolerance = 0 if fmt == "png" else 40  # lossy formats blur the edges a little
    assert all(
        value <= tolerance or value >= 255 - tolerance for _count, value in bitonal.getcolors()
    )


def test_png_bitonal_is_one_bit(client, image):
    assert picture(client.get(url(image, "full/max/0/bitonal.png"))).mode == "1"


@pytest.mark.parametrize(
    ("rest", "status", "reason"),
    [
        ("nonsense/max/0/default.jpg", 400, "Invalid region"),
        ("full/800,/0/default.jpg", 400, "needs the ^ prefix"),
        ("full/!800,800/0/default.jpg", 400, "would enlarge"),
        ("full/full/0/default.jpg", 400, "max"),
        ("full/max/361/default.jpg", 400, "from 0 to 360"),
        ("full/max/0/native.jpg", 400, "Invalid quality"),
        ("full/max/0/default.bmp", 400, "Invalid format"),
        ("full/max/0/default.tif", 501, "not available"),
        ("full/max/0/default", 400, "quality.format"),
        ("500,0,10,10/max/0/default.jpg", 400, "outside the image"),
    ],
)
def test_errors_have_a_status_and_a_plain_text_reason(client, image, rest, status, reason):
    response = client.get(url(image, rest))
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert reason in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"


def test_syntax_errors_do_not_reveal_whether_an_image_exists(client):
    hidden = make_image(may_publish_online=False)
    assert client.get(url(hidden, "nonsense/max/0/default.jpg")).status_code == 400
    assert client.get("/iiif/3/999999/nonsense/max/0/default.jpg").status_code == 400


# --- online size limit -----------------------------------------------------------------------


@pytest.fixture
def limited(db) -> MuseumImage:
    return make_image(max_online_size=100)


def test_info_json_of_a_limited_image(client, limited):
    info = client.get(url(limited)).json()
    assert (info["width"], info["height"]) == (400, 300)
    assert (info["maxWidth"], info["maxHeight"]) == (100, 75)
    assert info["sizes"][-1] == {"width": 100, "height": 75}
    assert info["tiles"][0]["scaleFactors"] == [4]


@pytest.mark.parametrize(
    ("rest", "size"),
    [
        ("full/max/0/default.jpg", (100, 75)),
        ("full/^max/0/default.jpg", (100, 75)),
        ("full/!300,300/0/default.jpg", (100, 75)),
        ("full/^!300,300/0/default.jpg", (100, 75)),
        ("full/pct:25/0/default.jpg", (100, 75)),
        ("full/100,/0/default.jpg", (100, 75)),
        ("0,0,200,200/max/0/default.jpg", (50, 50)),
        ("full/max/90/default.jpg", (75, 100)),
    ],
)
def test_limited_image_never_exceeds_its_limit(client, limited, rest, size):
    response = client.get(url(limited, rest))
    assert response.status_code == 200
    assert picture(response).size == size


@pytest.mark.parametrize(
    "rest",
    [
        "full/101,/0/default.jpg",
        "full/pct:50/0/default.jpg",
        "full/^200,150/0/default.jpg",
        "full/^pct:100/0/default.jpg",
        "0,0,200,200/100,/0/default.jpg",
        "full/max/45/default.png",
    ],
)
def test_limited_image_refuses_larger_sizes(client, limited, rest):
    response = client.get(url(limited, rest))
    assert response.status_code == 400
    assert "allows" in response.content.decode()


# --- HTTP caching, HEAD, CORS ----------------------------------------------------------------


def test_image_etag_and_304(client, image):
    first = client.get(url(image, "full/max/0/default.jpg"))
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    assert "max-age=3600" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(url(image, "full/max/0/default.jpg"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    since = client.get(
        url(image, "full/max/0/default.jpg"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert since.status_code == 304
    # Equivalent requests are one canonical image, with one ETag.
    same = client.get(url(image, "0,0,400,300/400,300/360/default.jpg"))
    assert same["ETag"] == etag


def test_info_etag_and_304(client, image):
    first = client.get(url(image))
    assert client.get(url(image), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # The plain JSON variant is a different representation with its own ETag.
    plain = client.get(url(image), HTTP_ACCEPT="application/json")
    assert plain["ETag"] != first["ETag"]


def test_a_replaced_master_is_served_at_once(
    client, image, iiif_folders, django_capture_on_commit_callbacks
):
    first = client.get(url(image, "full/max/0/default.jpg"))
    assert close(colour_at(picture(first), 10, 10), QUADRANTS["tl"])
    grey = io.BytesIO()
    PILImage.new("RGB", (400, 300), (128, 128, 128)).save(grey, "PNG")
    with django_capture_on_commit_callbacks(execute=True):
        image.file = ImageFile(grey, name="replaced.png")
        image.save()
    second = client.get(url(image, "full/max/0/default.jpg"))
    assert second["ETag"] != first["ETag"]
    assert close(colour_at(picture(second), 10, 10), (128, 128, 128))


@pytest.mark.parametrize("rest", ["info.json", "full/max/0/default.jpg", "full/50,/0/gray.png"])
def test_head(client, image, rest):
    get = client.get(url(image, rest))
    length = len(b"".join(get.streaming_content) if get.streaming else get.content)
    head = client.head(url(image, rest))
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) == length
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == get["Content-Type"]
    assert head["Access-Control-Allow-Origin"] == "*"


def test_options_and_other_methods(client, image):
    options = client.options(url(image))
    assert options.status_code == 204
    assert options["Access-Control-Allow-Origin"] == "*"
    post = client.post(url(image))
    assert post.status_code == 405
    assert post["Access-Control-Allow-Origin"] == "*"


def test_rendered_images_are_cached_on_disk(client, image, iiif_folders):
    client.get(url(image, "full/120,/0/default.jpg"))
    folder = iiif_folders / str(image.pk)
    # At the canonical URL's path and at the requested one, so nginx finds either.
    canonical, requested = (
        folder / "full_120,90_0_default.jpg",
        folder / "full_120,_0_default.jpg",
    )
    assert set(iiif_folders.rglob("*.jpg")) == {canonical, requested}
    assert os.path.samefile(canonical, requested)
    files = [canonical]
    files[0].write_bytes(b"served from the cache")
    assert b"".join(client.get(url(image, "full/120,/0/default.jpg")).streaming_content) == (
        b"served from the cache"
    )


def test_hidden_images_are_not_served_from_the_cache(client, image):
    assert client.get(url(image, "full/120,/0/default.jpg")).status_code == 200
    image.may_publish_online = False
    image.save()
    assert client.get(url(image, "full/120,/0/default.jpg")).status_code == 404
