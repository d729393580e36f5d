"""IIIF collections of the exhibition: per venue (rooms), per room and per theme (manifests),
valid against the Presentation 3 schema, holding only what the web may show."""

from wagtail.models import Locale

import pytest

from exhibition.models import Venue
from stories.models import Theme
from tests.exhibition.layout_builders import build_show
from tests.iiif.test_presentation import CONTENT_TYPE, assert_valid, make_image, validator

pytestmark = pytest.mark.django_db
__all__ = ["validator"]  # the schema fixture, shared with the manifest tests


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IIIF_CACHE_DIR = tmp_path / "iiif-cache"


@pytest.fixture
def show():
    show = build_show()
    Venue.objects.filter(pk=show["venue"].pk).update(announced=True)
    # The lender of the covered loan allows its images online.
    show["covered"].object.loans.update(online_publication_allowed=True)
    for key in ("own", "draft", "covered", "uncovered"):
        make_image(show[key].object)
    return show


def get(client, validator, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert_valid(validator, document)
    return document


def manifest_ids(document) -> list[str]:
    return [item["id"] for item in document["items"]]


def test_the_venue_collection_lists_its_rooms_in_visit_order(client, validator, show):
    document = get(client, validator, "/iiif/presentation/exhibition/home/collection")
    assert document["type"] == "Collection"
    assert document["id"] == "http://testserver/iiif/presentation/exhibition/home/collection"
    assert [item["type"] for item in document["items"]] == ["Collection", "Collection"]
    assert [item["label"] for item in document["items"]] == [
        {"en": ["First"], "sv": ["Första"]},
        {"en": ["Second"], "sv": ["Andra"]},
    ]
    # Every room collection it names can be fetched and is valid in turn.
    for item in document["items"]:
        room = get(client, validator, item["id"].removeprefix("http://testserver"))
        assert room["id"] == item["id"]


def test_a_room_collection_holds_only_objects_the_web_may_show(client, validator, show):
    first = get(client, validator, "/iiif/presentation/exhibition/home/rooms/first/collection")
    assert manifest_ids(first) == [
        f"http://testserver/iiif/presentation/objects/{show['own'].object_id}/manifest"
    ]  # the unpublished object is left out
    second = get(client, validator, "/iiif/presentation/exhibition/home/rooms/second/collection")
    ids = manifest_ids(second)
    assert (
        f"http://testserver/iiif/presentation/objects/{show['covered'].object_id}/manifest" in ids
    )
    assert all(item["type"] == "Manifest" for item in second["items"])
    for url in ids:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_an_object_without_a_web_image_has_no_manifest_and_is_left_out(client, validator, show):
    image = show["own"].object.images.get()
    image.image.may_publish_online = False
    image.image.save()
    first = get(client, validator, "/iiif/presentation/exhibition/home/rooms/first/collection")
    assert first["items"] == []


def test_unannounced_venues_and_unknown_rooms_are_404(client, show):
    assert client.get("/iiif/presentation/exhibition/nowhere/collection").status_code == 404
    assert (
        client.get("/iiif/presentation/exhibition/home/rooms/nowhere/collection").status_code == 404
    )
    Venue.objects.filter(pk=show["venue"].pk).update(announced=False)
    response = client.get("/iiif/presentation/exhibition/home/collection")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    assert b"announced venue" in response.content


def test_a_theme_collection_gathers_its_rooms_objects_in_every_translation(client, validator, show):
    theme = Theme.objects.create(
        name="Handel", slug="handel", locale=Locale.objects.get(language_code="sv")
    )
    english = theme.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = "Trade"
    english.save()
    first, second = show["rooms"]
    first.theme = theme
    first.save()
    second.theme = english
    second.save()
    document = get(
        client, validator, f"/iiif/presentation/exhibition/themes/{english.pk}/collection"
    )
    assert document["label"] == {"en": ["Trade"], "sv": ["Handel"]}
    ids = manifest_ids(document)
    assert ids[0].endswith(f"/objects/{show['own'].object_id}/manifest")
    assert any(url.endswith(f"/objects/{show['covered'].object_id}/manifest") for url in ids)


def test_a_theme_no_public_room_uses_is_404(client, show):
    theme = Theme.objects.create(
        name="Hemligt", slug="hemligt", locale=Locale.objects.get(language_code="sv")
    )
    assert (
        client.get(f"/iiif/presentation/exhibition/themes/{theme.pk}/collection").status_code == 404
    )
    assert client.get("/iiif/presentation/exhibition/themes/999999/collection").status_code == 404


def test_only_get_head_and_options_are_allowed(client, show):
    url = "/iiif/presentation/exhibition/home/collection"
    assert client.post(url).status_code == 405
    assert client.options(url).status_code == 204
    assert client.head(url).status_code == 200
