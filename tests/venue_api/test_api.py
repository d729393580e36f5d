import datetime
import json

from django.db import connection
from django.utils import timezone

import pytest

from stories.models import RevokedItem
from tests.venue_api.conftest import bearer
from tests.venue_api.packages import make_package
from touring.models import PackageVersion
from venue_api.models import VenueApiToken

API = "/api/venue/v1"
PACKAGE_FIELDS = {
    "number",
    "parent",
    "sha256",
    "size",
    "built_at",
    "valid_until",
    "revoked",
    "key_id",
    "download_url",
}


@pytest.fixture
def versions(venue):
    first = make_package(venue, 1)
    second = make_package(venue, 2, parent=first)
    return first, second


def test_a_token_is_stored_only_as_a_hash(venue):
    token, secret = VenueApiToken.issue(venue, "kiosk")
    prefix, _dot, plain = secret.partition(".")
    assert prefix == token.prefix and len(plain) >= 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM venue_api_venueapitoken")
        rows = cursor.fetchall()
    assert rows and all(plain not in str(value) for row in rows for value in row)
    assert VenueApiToken.authenticate(secret) == token
    assert VenueApiToken.authenticate(f"{prefix}.{plain[:-1]}x") is None


def test_listing_shows_only_the_venues_ready_versions_with_allowed_fields(
    client, versions, token, other_venue
):
    make_package(other_venue, 1)
    make_package(versions[0].venue, 3, status=PackageVersion.Status.FAILED)
    response = client.get(f"{API}/packages", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert [item["number"] for item in body] == [2, 1]
    assert all(set(item) == PACKAGE_FIELDS for item in body)
    assert body[0]["parent"] == 1 and body[0]["sha256"] == versions[1].sha256
    assert body[0]["download_url"].endswith("/api/venue/v1/packages/2/download")


def test_latest_skips_a_package_revoked_by_the_museum(client, versions, token):
    response = client.get(f"{API}/packages/latest", **bearer(token))
    assert response.json()["number"] == 2
    PackageVersion.objects.filter(pk=versions[1].pk).update(revoked_at=timezone.now())
    response = client.get(f"{API}/packages/latest", **bearer(token))
    assert response.json()["number"] == 1
    listed = client.get(f"{API}/packages/2", **bearer(token)).json()
    assert listed["revoked"] is True
    assert client.get(f"{API}/packages/2/download", **bearer(token)).status_code == 410


def test_latest_without_any_package_is_404(client, token):
    response = client.get(f"{API}/packages/latest", **bearer(token))
    assert response.status_code == 404
    assert "No package" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer ",
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer abcdefgh.wrongsecretwrongsecretwrongsecretwrongsecret",
    ],
)
def test_missing_or_wrong_tokens_get_the_same_401(client, versions, header):
    extra = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if header is not None:
        extra["HTTP_AUTHORIZATION"] = header
    for path in ("/packages", "/packages/latest", "/packages/1/download", "/revocations"):
        response = client.get(API + path, **extra)
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication required."}


def test_revoked_and_expired_tokens_get_the_same_401(client, venue, versions):
    revoked, revoked_secret = VenueApiToken.issue(venue, "old")
    revoked.revoke()
    _expired, expired_secret = VenueApiToken.issue(
        venue, "short", expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    for secret in (revoked_secret, expired_secret):
        response = client.get(f"{API}/packages", **bearer(secret))
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication required."}


def test_another_venues_version_is_the_same_404_as_a_missing_one(
    client, versions, other_venue, other_token
):
    make_package(other_venue, 1)
    # The other venue has a version 1 of its own; it must never get ours.
    own = client.get(f"{API}/packages/1", **bearer(other_token)).json()
    assert own["sha256"] != versions[0].sha256
    for path in ("/packages/2", "/packages/2/download", "/packages/2/delta?from=1"):
        theirs = client.get(API + path, **bearer(other_token))
        missing = client.get(API + path.replace("2", "7", 1), **bearer(other_token))
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content


def test_last_use_is_recorded(client, venue, versions):
    token, secret = VenueApiToken.issue(venue, "kiosk")
    assert token.last_used_at is None
    client.get(f"{API}/packages", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revocations_list_withdrawn_items(client, token, versions):
    RevokedItem.objects.create(kind="testimony", public_id="7", reason="withdrawn")
    response = client.get(f"{API}/revocations", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "revoked": [{"kind": "testimony", "id": "7", "since": timezone.now().date().isoformat()}]
    }


def test_metadata_says_nothing_confidential(client, token, versions):
    PackageVersion.objects.filter(pk=versions[1].pk).update(
        report={"left_out": ["loan of Lender Secret AB"]}, error="internal"
    )
    body = client.get(f"{API}/packages/2", **bearer(token)).content.decode()
    assert "Lender Secret" not in body and "internal" not in body


def test_openapi_schema_is_served_and_names_every_endpoint(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Trafficking venue API"
    paths = set(schema["paths"])
    assert {
        "/api/venue/v1/packages",
        "/api/venue/v1/packages/latest",
        "/api/venue/v1/packages/{number}",
        "/api/venue/v1/packages/{number}/download",
        "/api/venue/v1/packages/{number}/delta",
        "/api/venue/v1/revocations",
    } <= paths
    assert "bearer" in json.dumps(schema["components"]["securitySchemes"]).lower()
    delta_params = schema["paths"]["/api/venue/v1/packages/{number}/delta"]["get"]["parameters"]
    assert "from" in {param["name"] for param in delta_params}


def test_answers_are_never_kept_by_shared_caches(client, token, versions):
    for path in ("/packages", "/packages/latest", "/packages/1/download"):
        response = client.get(API + path, **bearer(token))
        assert "private" in response["Cache-Control"]
        assert "Authorization" in response["Vary"]
    refused = client.get(f"{API}/packages")
    assert "no-store" in refused["Cache-Control"]


def test_messages_follow_accept_language_and_default_to_swedish(client):
    assert client.get(f"{API}/packages").json() == {"detail": "Autentisering krävs."}
    english = client.get(f"{API}/packages", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "Authentication required."}
