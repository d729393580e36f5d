"""Recordings and tracks: seekable (byte ranges), typed, never in shared caches, and never
reachable through the general /media/ route."""

from django.core.files.base import ContentFile

import pytest

from stories.models import Testimony as StoredTestimony  # not collected as a test class
from stories.recordings import content_type_for, parse_range
from tests.stories.testimony_builders import RECORDING, everywhere, spoken_testimony

pytestmark = pytest.mark.django_db
SIZE = len(RECORDING)


@pytest.fixture
def testimony():
    return spoken_testimony(consent=everywhere())


def recording_url(testimony):
    return f"/stories/testimonies/{testimony.slug}/recording/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_whole_recording(client, testimony):
    response = client.get(recording_url(testimony))
    assert response.status_code == 200
    assert body(response) == RECORDING
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-199", 100, 199),
        ("bytes=900-", 900, SIZE - 1),
        ("bytes=-50", SIZE - 50, SIZE - 1),
        ("bytes=-5000", 0, SIZE - 1),  # more than the file: all of it
        ("bytes=990-5000", 990, SIZE - 1),  # past the end: cut at the end
        ("bytes=999-999", 999, 999),
    ],
)
def test_byte_ranges(client, testimony, header, start, end):
    response = client.get(recording_url(testimony), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == RECORDING[start : end + 1]
    assert response["Content-Type"] == "audio/mpeg"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_ranges_are_416(client, testimony, header):
    response = client.get(recording_url(testimony), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response.content == b""


@pytest.mark.parametrize(
    "header",
    [
        "bytes=500-100",
        "bytes=0-1,5-6",
        "items=0-5",
        "bytes=abc",
        "bytes=-",
        "bytes 0-5",
        "bytes=١-٢",
    ],
)
def test_invalid_range_headers_are_ignored(client, testimony, header):
    """RFC 9110 § 14.2: a Range header that is not valid is ignored: the whole file, 200."""
    response = client.get(recording_url(testimony), HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == RECORDING


def test_if_range_and_if_none_match(client, testimony):
    etag = client.get(recording_url(testimony))["ETag"]
    fresh = client.get(recording_url(testimony), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert fresh.status_code == 206 and body(fresh) == RECORDING[:10]
    stale = client.get(recording_url(testimony), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert stale.status_code == 200 and body(stale) == RECORDING
    assert client.get(recording_url(testimony), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_head_has_the_headers_and_no_body(client, testimony):
    response = client.head(recording_url(testimony), HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert response.content == b""


def test_only_get_and_head(client, testimony):
    assert client.post(recording_url(testimony)).status_code == 405


def test_a_testimony_without_recording_has_none(client):
    testimony = spoken_testimony(consent=everywhere())
    StoredTestimony.objects.filter(pk=testimony.pk).update(media_kind="", media_file="")
    assert client.get(recording_url(testimony)).status_code == 404
    html = client.get(f"/stories/testimonies/{testimony.slug}/").text
    assert "<audio" not in html and ".vtt" not in html


def test_a_missing_file_is_404_not_500(client, testimony):
    testimony.media_file.storage.delete(testimony.media_file.name)
    assert client.get(recording_url(testimony)).status_code == 404


def test_video_is_served_as_video(client):
    testimony = spoken_testimony(consent=everywhere())
    testimony.media_kind = "video"
    testimony.media_file.save("clip.webm", ContentFile(b"\x1aE\xdf\xa3" + bytes(96)), save=False)
    testimony.save()
    response = client.get(recording_url(testimony))
    assert response["Content-Type"] == "video/webm"
    assert "<video" in client.get(f"/stories/testimonies/{testimony.slug}/").text


def test_content_types_by_name():
    assert content_type_for("a.MP3", "audio") == "audio/mpeg"
    assert content_type_for("a.ogg", "audio") == "audio/ogg"
    assert content_type_for("a.webm", "audio") == "audio/webm"
    assert content_type_for("a.html", "audio") == "application/octet-stream"
    assert content_type_for("a.svg", "video") == "application/octet-stream"


def test_parse_range_edges():
    assert parse_range("", 10) is None
    assert parse_range("bytes=0-0", 0) is False
    assert parse_range("bytes=-1", 0) is False
    assert parse_range("bytes=0-", 10) == (0, 9)
    assert parse_range("bytes=" + "9" * 40 + "-", 10) is False


# --- the general media route ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/media/", "/media//", "/media/./", "/media/images/../"])
def test_recordings_are_not_reachable_through_media(client, admin_client, testimony, prefix):
    path = prefix + testimony.media_file.name
    assert testimony.media_file.name.startswith("testimonies/")
    assert client.get(path).status_code == 404
    # Not even for staff: the recording view checks consent on every request.
    assert admin_client.get(path).status_code == 404


def test_media_refuses_the_testimonies_folder_in_any_case(client, admin_client, testimony):
    path = "/media/" + testimony.media_file.name.replace("testimonies/", "Testimonies/", 1)
    assert admin_client.get(path).status_code == 404


# --- tracks ----------------------------------------------------------------------------------------


def test_track_is_rebuilt_from_its_cues(client, testimony):
    response = client.get(f"/stories/testimonies/{testimony.slug}/tracks/sv/captions.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert "private" in response["Cache-Control"]
    text = response.content.decode()
    assert text.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nJag kom hit för att arbeta.")
    for hidden in ("NOTE", "Anna Andersson", "Mirjam Realname", "<v", "<i>", "<script>"):
        assert hidden not in text
    assert "&lt;script&gt;" not in text  # markup is dropped, not escaped into the text
    assert "trodde &amp; ingen lyssnade" in text


@pytest.mark.parametrize(
    "path",
    [
        "tracks/sv/subtitles.vtt",
        "tracks/de/captions.vtt",
        "tracks/sv/chapters.vtt",
        "tracks/../x.vtt",
    ],
)
def test_missing_tracks_are_404(client, testimony, path):
    assert client.get(f"/stories/testimonies/{testimony.slug}/{path}").status_code == 404
