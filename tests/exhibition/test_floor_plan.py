import re
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import translation

import pytest

from exhibition.floor_plan import public_plan, render_svg, staff_plan
from tests.exhibition.layout_builders import build_show

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_language():
    """Earlier requests leave their language active in the thread; start from Swedish (and
    hand back whatever was active, as other modules may rely on it)."""
    with translation.override("sv"):
        yield


SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.split("?>", 1)[-1].strip())  # noqa: S314 (our own output)


def test_the_svg_is_titled_and_each_room_is_a_labelled_group():
    show = build_show()
    root = parse(render_svg(public_plan(show["venue"]), standalone=True))
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert "Testmuseet" in title.text
    rooms = root.findall(f"{SVG}g[@role='group']")
    assert len(rooms) == 2
    names = [room.find(f"{SVG}title").text for room in rooms]
    assert "Första" in names[0] and "50 m²" in names[0]
    for room in rooms:
        assert room.get("aria-labelledby") == room.find(f"{SVG}title").get("id")
        assert room.find(f"{SVG}polygon").get("points")


def test_markers_are_numbered_with_text_alternatives_for_visible_objects_only():
    show = build_show()
    root = parse(render_svg(public_plan(show["venue"])))
    markers = root.findall(f".//{SVG}g[@role='img']")
    titles = [marker.find(f"{SVG}title").text for marker in markers]
    assert [t.split(".")[0] for t in titles] == ["1", "2"]
    assert "Egen skål" in titles[0] and "Lånad mask" in titles[1]
    assert not any("Utkast" in t or "Kort lån" in t for t in titles)
    for marker in markers:
        assert marker.get("aria-labelledby") == marker.find(f"{SVG}title").get("id")
        assert marker.find(f"{SVG}text").text == marker.find(f"{SVG}title").text.split(".")[0]


def test_ids_are_unique():
    show = build_show()
    svg = render_svg(public_plan(show["venue"]))
    ids = re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))


def test_the_staff_plan_marks_what_the_venue_may_not_show():
    show = build_show()
    plan = staff_plan(show["venue"])
    hidden = {m.title.split(" ", 1)[1] for m in plan.markers if m.hidden}
    assert hidden == {"Utkast", "Kort lån"}
    assert len(plan.markers) == 4


def test_the_public_page_has_the_drawing_and_the_list(client):
    show = build_show()
    response = client.get(reverse("rooms:floor_plan", args=["home"]))
    assert response.status_code == 200
    html = response.text
    assert "<svg" in html and 'role="group"' in html
    assert 'href="' + show["own"].object.get_absolute_url() + '"' in html
    assert "Kort lån" not in html and "Utkast" not in html
    english = client.get("/en" + reverse("rooms:floor_plan", args=["home"]))
    assert "Room 1: First, 50 m²" in english.text
    svg = client.get(reverse("rooms:floor_plan_svg", args=["home"]))
    assert svg["Content-Type"] == "image/svg+xml"
    parse(svg.content.decode())


def test_unannounced_venues_have_no_public_plan(client):
    show = build_show()
    show["venue"].announced = False
    show["venue"].save()
    assert client.get(reverse("rooms:floor_plan", args=["home"])).status_code == 404


def test_curators_see_the_plan_in_the_admin(client, django_user_model):
    show = build_show()
    user = django_user_model.objects.create_superuser("c", password="pw")  # noqa: S106
    url = reverse("exhibition_layout_floor_plan", args=[show["venue"].pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Kort lån" in response.text and "<svg" in response.text
