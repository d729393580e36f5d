import hashlib
import io
import json
import zipfile

import pytest

from tests.venue_api.conftest import bearer
from tests.venue_api.packages import make_package, sample_files
from venue_api.archives import deltas_dir

API = "/api/venue/v1"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def package(venue):
    return make_package(venue, 1)


def stored_bytes(package) -> bytes:
    with package.archive.open("rb") as handle:
        return handle.read()


def test_download_is_the_stored_zip_with_its_sha256_as_etag(client, token, package):
    response = client.get(f"{API}/packages/1/download", **bearer(token))
    assert response.status_code == 200
    data = body(response)
    assert data == stored_bytes(package)
    assert hashlib.sha256(data).hexdigest() == package.sha256
    assert response["ETag"] == f'"{package.sha256}"'
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(package.size)
    assert response["Content-Type"] == "application/zip"


def test_if_none_match_with_the_etag_answers_304(client, token, package):
    etag = f'"{package.sha256}"'
    response = client.get(f"{API}/packages/1/download", HTTP_IF_NONE_MATCH=etag, **bearer(token))
    assert response.status_code == 304
    assert response["ETag"] == etag
    other = client.get(f"{API}/packages/1/download", HTTP_IF_NONE_MATCH='"abc"', **bearer(token))
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", -50, None)],
)
def test_a_range_answers_206_with_exactly_those_bytes(client, token, package, header, first, last):
    whole = stored_bytes(package)
    response = client.get(f"{API}/packages/1/download", HTTP_RANGE=header, **bearer(token))
    assert response.status_code == 206
    expected = whole[first : (last + 1 if last is not None else None)]
    assert body(response) == expected
    start = first if first >= 0 else len(whole) + first
    end = start + len(expected) - 1
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(whole)}"
    assert response["Content-Length"] == str(len(expected))


def test_a_resumed_download_joins_up_byte_exact(client, token, package):
    whole = stored_bytes(package)
    head = whole[:1000]
    etag = f'"{package.sha256}"'
    rest = client.get(
        f"{API}/packages/1/download", HTTP_RANGE="bytes=1000-", HTTP_IF_RANGE=etag, **bearer(token)
    )
    assert rest.status_code == 206
    assert head + body(rest) == whole


def test_if_range_with_another_etag_gets_the_whole_file(client, token, package):
    response = client.get(
        f"{API}/packages/1/download",
        HTTP_RANGE="bytes=1000-",
        HTTP_IF_RANGE='"older"',
        **bearer(token),
    )
    assert response.status_code == 200
    assert body(response) == stored_bytes(package)


def test_a_range_past_the_end_answers_416(client, token, package):
    response = client.get(
        f"{API}/packages/1/download", HTTP_RANGE=f"bytes={package.size}-", **bearer(token)
    )
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{package.size}"


def test_several_ranges_get_the_whole_file(client, token, package):
    response = client.get(f"{API}/packages/1/download", HTTP_RANGE="bytes=0-1,5-9", **bearer(token))
    assert response.status_code == 200
    assert body(response) == stored_bytes(package)


def test_a_missing_archive_is_a_clear_404(client, token, package):
    package.archive.storage.delete(package.archive.name)
    response = client.get(f"{API}/packages/1/download", **bearer(token))
    assert response.status_code == 404
    assert response.json() == {"detail": "The package file is not available."}


def test_delta_holds_the_new_manifest_and_only_changed_or_new_files(client, token, venue):
    first = make_package(venue, 1)
    files = sample_files(label="second")
    files["labels/new.pdf"] = b"%PDF-1.7 new"
    del files["images/portraits/3.jpg"]
    second = make_package(venue, 2, files, parent=first)
    response = client.get(f"{API}/packages/2/delta?from=1", **bearer(token))
    assert response.status_code == 200
    data = body(response)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        manifest = archive.read("manifest.json")
    assert names == sorted(["data/objects.json", "labels/new.pdf", "manifest.json", "manifest.sig"])
    with second.archive.open("rb") as handle, zipfile.ZipFile(handle) as full:
        assert manifest == full.read("manifest.json")
    assert json.loads(manifest)["version"] == 2
    assert response["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    # Cached, and built the same way every time (reproducible zip rules).
    cached = list(deltas_dir().glob("*.zip"))
    assert len(cached) == 1
    cached[0].unlink()
    again = body(client.get(f"{API}/packages/2/delta?from=1", **bearer(token)))
    assert again == data


def test_delta_supports_ranges(client, token, venue):
    first = make_package(venue, 1)
    make_package(venue, 2, sample_files(label="second"), parent=first)
    whole = body(client.get(f"{API}/packages/2/delta?from=1", **bearer(token)))
    part = client.get(f"{API}/packages/2/delta?from=1", HTTP_RANGE="bytes=10-", **bearer(token))
    assert part.status_code == 206
    assert whole[:10] + body(part) == whole


def test_delta_needs_two_versions_of_the_venue(client, token, venue, other_venue):
    make_package(venue, 1)
    make_package(other_venue, 2)
    assert client.get(f"{API}/packages/1/delta?from=1", **bearer(token)).status_code == 400
    assert client.get(f"{API}/packages/1/delta?from=2", **bearer(token)).status_code == 404
    assert client.get(f"{API}/packages/1/delta", **bearer(token)).status_code == 422
