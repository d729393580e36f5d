from django.urls import reverse
from django.utils import translation

import pytest

from tests.exhibition.layout_builders import ANONYMOUS_NAME, build_show

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language():
    """Earlier requests leave their language active in the thread; start from Swedish (and
    hand back whatever was active, as other modules may rely on it)."""
    with translation.override("sv"):
        yield


def test_rooms_are_listed_in_visit_order(client):
    build_show()
    html = client.get(reverse("rooms:list")).text
    assert html.index("Första") < html.index("Andra")
    assert client.get(reverse("rooms:venue_list", args=["home"])).status_code == 200


def test_a_room_lists_its_visible_objects_with_labels_in_the_visitors_language(client):
    show = build_show()
    url = reverse("rooms:room", args=["home", "first"])
    html = client.get(url).text
    assert "En skål ur samlingen." in html
    assert show["own"].object.get_absolute_url() in html
    assert "Opublicerad" not in html
    second = client.get(reverse("rooms:room", args=["home", "second"])).text
    assert "En lånad mask." in second
    assert "Ett kort lån." not in second
    assert ANONYMOUS_NAME not in second
    english = client.get("/en" + url).text
    assert "A bowl from the collection." in english


def test_unknown_rooms_and_venues_are_not_found(client):
    build_show()
    assert client.get(reverse("rooms:room", args=["home", "nope"])).status_code == 404
    assert client.get(reverse("rooms:room", args=["nope", "first"])).status_code == 404


def test_the_rooms_page_works_before_any_venue_is_announced(client):
    response = client.get(reverse("rooms:list"))
    assert response.status_code == 200


def test_the_sitemap_lists_rooms_and_floor_plans(client):
    build_show()
    xml = client.get("/sitemap.xml").text
    assert "/exhibition/rooms/home/first/" in xml
    assert "/en/exhibition/floor-plan/home/" in xml
