import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from collection.models import MuseumImage
from collection.rights import normalise_rights_uri, rights_label, validate_rights_uri

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "firebrick").save(buffer, "PNG")
    return buffer.getvalue()


def test_wagtail_uses_the_custom_image_model():
    assert get_image_model() is MuseumImage


@pytest.mark.parametrize(
    ("uri", "label"),
    [
        ("http://rightsstatements.org/vocab/InC/1.0/", "In Copyright"),
        (
            "https://rightsstatements.org/vocab/NoC-NC/1.0/",
            "No Copyright - Non-Commercial Use Only",
        ),
        ("https://creativecommons.org/licenses/by-sa/4.0", "CC BY-SA 4.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
    ],
)
def test_known_rights_uris(uri, label):
    assert rights_label(uri) == label
    validate_rights_uri(uri)
    assert normalise_rights_uri(uri).startswith("http://")


@pytest.mark.parametrize(
    "uri",
    [
        "http://example.org/licence",
        "http://rightsstatements.org/vocab/XYZ/1.0/",
        "http://creativecommons.org/licenses/by-xx/4.0/",
    ],
)
def test_unknown_rights_uris_are_refused(uri):
    with pytest.raises(ValidationError):
        validate_rights_uri(uri)


def test_online_limits():
    assert MuseumImage(may_publish_online=False, max_online_size=800).online_size_limit() == 0
    assert MuseumImage(may_publish_online=True, max_online_size=800).online_size_limit() == 800
    assert MuseumImage(may_publish_online=True).online_size_limit() is None


def test_upload_in_the_admin_keeps_rights_and_limits(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Test object",
            "file": SimpleUploadedFile("object.png", png_bytes(), content_type="image/png"),
            "rights_statement": "http://rightsstatements.org/vocab/InC/1.0/",
            "credit_line": "Lent by a test lender",
            "photographer": "Test Photographer",
            "may_publish_online": "on",
            "max_online_size": "1200",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    image = MuseumImage.objects.get(title="Test object")
    assert (image.width, image.height) == (40, 30)
    assert image.rights_statement == "http://rightsstatements.org/vocab/InC/1.0/"
    assert image.may_publish_online and image.max_online_size == 1200
    assert image.credit_line == "Lent by a test lender"


def test_truncated_upload_is_refused_and_nothing_is_saved(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Broken",
            "file": SimpleUploadedFile("broken.png", png_bytes()[:60], content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "kunde inte läsas som en bild" in response.text  # the admin speaks Swedish
    assert not MuseumImage.objects.filter(title="Broken").exists()


def test_bad_rights_statement_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Wrong rights",
            "file": SimpleUploadedFile("object.png", png_bytes(), content_type="image/png"),
            "rights_statement": "http://example.org/my-licence",
        },
    )
    assert response.status_code == 200
    assert not MuseumImage.objects.filter(title="Wrong rights").exists()


def test_decompression_bomb_is_refused_and_nothing_is_saved(admin_client):
    # 15000 x 15000 pixels in a few kilobytes: decoding it would take gigabytes.
    buffer = io.BytesIO()
    PILImage.new("1", (15000, 15000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 200_000
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Bomb",
            "file": SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "178000000" in response.text  # the limit is named in the error
    assert not MuseumImage.objects.filter(title="Bomb").exists()


def test_unsupported_file_type_is_refused(admin_client):
    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Text",
            "file": SimpleUploadedFile("notes.txt", b"not an image", content_type="text/plain"),
        },
    )
    assert response.status_code == 200
    assert not MuseumImage.objects.filter(title="Text").exists()


def test_rendering_pdfs_does_not_make_truncated_images_acceptable():
    # WeasyPrint turns LOAD_TRUNCATED_IMAGES on when imported; printing goes through
    # weasyprint_html, which turns it off again.
    from PIL import ImageFile

    from collection.printing import weasyprint_html

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as a first import of WeasyPrint leaves it
    html = weasyprint_html()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert html(string="<p>x</p>").write_pdf().startswith(b"%PDF")
