"""The WSGI short path for IIIF requests answers as Django's full handler would."""

import io
from wsgiref.util import setup_testing_defaults

from django.core.files.images import ImageFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
from PIL import Image as PILImage

from collection.iiif.wsgi import IIIFShortPath
from collection.models import MuseumImage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def iiif_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"
    settings.IIIF_PYRAMID_DIR = tmp_path / "iiif-pyramids"


@pytest.fixture
def app():
    # As Django's test client does: a finished request must not close the database
    # connection that holds the test's transaction (PostgreSQL would lose it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield IIIFShortPath(get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def image(**fields) -> MuseumImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 200), (200, 50, 50)).save(buffer, "PNG")
    fields.setdefault("may_publish_online", True)
    return MuseumImage.objects.create(title="Red", file=ImageFile(buffer, name="r.png"), **fields)


def call(app, path, method="GET", host="testserver"):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "HTTP_HOST": host}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = host
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = int(status.split()[0]), dict(headers)

    chunks = app(environ, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return captured["status"], captured["headers"], body


def test_info_and_images_take_the_short_path(app, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    shown = image()
    status, headers, body = call(app, f"/iiif/3/{shown.pk}/info.json")
    assert status == 200 and b'"width": 300' in body
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in headers and headers["X-Content-Type-Options"] == "nosniff"
    status, headers, body = call(app, f"/iiif/3/{shown.pk}/full/150,/0/default.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert PILImage.open(io.BytesIO(body)).size == (150, 100)
    status, headers, body = call(app, f"/iiif/3/{shown.pk}/full/150,/0/default.png", "HEAD")
    assert status == 200 and body == b""


def test_hidden_unknown_and_malformed_answer_alike(app, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    hidden = image(may_publish_online=False)
    for path, expected in [
        (f"/iiif/3/{hidden.pk}/full/max/0/default.jpg", 404),
        (f"/iiif/3/{hidden.pk}/info.json", 404),
        ("/iiif/3/99999/full/max/0/default.jpg", 404),
        ("/iiif/3/1/full/max/0/default.bmp", 400),
    ]:
        status, headers, body = call(app, path)
        assert status == expected, path
        assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_a_host_not_allowed_gets_djangos_400(app, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    shown = image()
    status, _headers, _body = call(app, f"/iiif/3/{shown.pk}/info.json", host="evil.example")
    assert status == 400


def test_other_requests_go_through_django(app, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    status, headers, _body = call(app, "/iiif/3/1/full/max/0/default.jpg", method="POST")
    assert status == 403  # Django's path: its CSRF middleware refuses the POST
    status, headers, _body = call(app, "/iiif/3/")
    assert status == 404 and headers["Content-Type"] == "text/plain; charset=utf-8"
