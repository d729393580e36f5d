"""Venue staff see and edit only their own venue's rooms and placements in the admin."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from exhibition.models import Placement, Room, Venue
from localisation.models import VenueStaff
from tests.localisation.builders import build_tour

pytestmark = pytest.mark.django_db


def url(model, name, *args, chooser=False):
    viewset = model.snippet_viewset.chooser_viewset if chooser else model.snippet_viewset
    return reverse(viewset.get_url_name(name), args=args)


@pytest.fixture
def tour(home_page):
    return build_tour()


@pytest.fixture
def vilnius_staff(tour, django_user_model):
    user = django_user_model.objects.create_user(username="vilnius-staff", password="x" * 12)
    user.groups.add(Group.objects.get(name="Venue staff"))
    VenueStaff.objects.create(user=user, venue=tour["vilnius"])
    return user


@pytest.fixture
def staff_client(client, vilnius_staff):
    client.force_login(vilnius_staff)
    return client


def test_own_venue_room_and_placement_open(staff_client, tour):
    assert staff_client.get(url(Room, "edit", tour["vilnius_room"].pk)).status_code == 200
    response = staff_client.get(url(Placement, "edit", tour["vilnius_placement"].pk))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["edit", "history", "usage"])
def test_other_venues_room_and_placement_are_not_found(staff_client, tour, name):
    assert staff_client.get(url(Room, name, tour["home_room"].pk)).status_code == 404
    assert staff_client.get(url(Placement, name, tour["home_placement"].pk)).status_code == 404


def test_posting_to_another_venues_placement_changes_nothing(staff_client, tour):
    placement = tour["home_placement"]
    response = staff_client.post(url(Placement, "edit", placement.pk), {"kind": "wall"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.kind == Placement.Kind.CASE


def test_deleting_is_not_allowed(staff_client, tour):
    for model, item in ((Room, tour["home_room"]), (Room, tour["vilnius_room"])):
        response = staff_client.post(url(model, "delete", item.pk))
        assert response.status_code in (302, 403, 404)
        assert Room.objects.filter(pk=item.pk).exists()


def test_listings_show_only_the_own_venue(staff_client, tour):
    rooms = staff_client.get(url(Room, "list"))
    assert rooms.status_code == 200
    listed = {room.pk for room in rooms.context["object_list"]}
    assert listed == {tour["vilnius_room"].pk}
    html = rooms.content.decode()
    assert "Testmuseet" not in html  # neither in rows nor in the venue filter
    placements = staff_client.get(url(Placement, "list"))
    assert {p.pk for p in placements.context["object_list"]} == {tour["vilnius_placement"].pk}
    assert "Testmuseet" not in placements.content.decode()


def test_choosers_list_only_the_own_venue(staff_client, tour):
    response = staff_client.get(url(Room, "choose", chooser=True))
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Hallen" in html and "Entré" not in html
    assert (
        staff_client.get(url(Room, "chosen", tour["home_room"].pk, chooser=True)).status_code == 404
    )
    venues = staff_client.get(url(Venue, "choose", chooser=True)).json()["html"]
    assert "Vilnius" in venues and "Testmuseet" not in venues


def test_forms_offer_only_the_own_venue(staff_client, tour):
    response = staff_client.get(url(Placement, "edit", tour["vilnius_placement"].pk))
    rooms = response.context["form"].fields["room"].queryset
    assert set(rooms) == {tour["vilnius_room"]}
    response = staff_client.get(url(Room, "edit", tour["vilnius_room"].pk))
    assert set(response.context["form"].fields["venue"].queryset) == {tour["vilnius"]}


def test_floor_plans_and_labels_of_other_venues_are_hidden(staff_client, tour):
    index = staff_client.get(reverse("exhibition_layout"))
    assert index.status_code == 200
    assert [row["venue"] for row in index.context["rows"]] == [tour["vilnius"]]
    home = tour["home"].pk
    assert staff_client.get(reverse("exhibition_layout_floor_plan", args=[home])).status_code == 404
    assert (
        staff_client.get(reverse("exhibition_layout_labels", args=[home]) + "?language=sv")
    ).status_code == 404


def test_museum_staff_without_a_venue_see_every_venue(client, tour, django_user_model):
    user = django_user_model.objects.create_user(username="curator", password="x" * 12)
    user.groups.add(Group.objects.get(name="Venue staff"))  # same permissions, no venue
    client.force_login(user)
    listed = {room.pk for room in client.get(url(Room, "list")).context["object_list"]}
    assert listed == {tour["vilnius_room"].pk, tour["home_room"].pk}
    assert client.get(url(Room, "edit", tour["home_room"].pk)).status_code == 200


def test_admin_url_finder_gives_no_edit_link_for_other_venues(vilnius_staff, tour):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    finder = AdminURLFinder(vilnius_staff)
    assert finder.get_edit_url(tour["home_room"]) is None
    assert finder.get_edit_url(tour["vilnius_room"])


def test_superuser_links_staff_to_a_venue_in_the_admin(client, tour, django_user_model):
    admin = django_user_model.objects.create_superuser(username="admin", password="x" * 12)
    member = django_user_model.objects.create_user(username="new-staff", password="x" * 12)
    client.force_login(admin)
    assert client.get(reverse("venue_staff:index")).status_code == 200
    response = client.post(
        reverse("venue_staff:add"), {"user": member.pk, "venue": tour["vilnius"].pk}
    )
    assert response.status_code == 302
    assert VenueStaff.objects.filter(user=member, venue=tour["vilnius"]).exists()


def test_venue_staff_cannot_manage_venue_staff(staff_client):
    response = staff_client.get(reverse("venue_staff:index"))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")


def test_staff_edit_names_and_labels_but_not_the_layout(staff_client, tour):
    from wagtail.models import Locale
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    room = tour["vilnius_room"]
    sv_text = room.texts.get()
    sv, en = (Locale.objects.get(language_code=code) for code in ("sv", "en"))
    data = nested_form_data(
        {
            # Attempts to move the room to the home venue and to redraw it are ignored.
            "venue": tour["home"].pk,
            "slug": "moved",
            "visit_order": 9,
            "area_m2": "12",
            "shape": "0,0 3,0 3,4 0,4",
            "texts": inline_formset(
                [
                    {"id": sv_text.pk, "locale": sv.pk, "name": "Hallen"},
                    {"locale": en.pk, "name": "Hall"},
                ],
                initial=1,
            ),
        }
    )
    response = staff_client.post(url(Room, "edit", room.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    room.refresh_from_db()
    assert (room.venue, room.slug, room.shape) == (tour["vilnius"], "hall", "0,0 5,0 5,10 0,10")
    assert room.texts.get(locale=en).name == "Hall"


def test_layout_fields_are_read_only_only_for_venue_staff(
    staff_client, client, tour, django_user_model
):
    form = staff_client.get(url(Placement, "edit", tour["vilnius_placement"].pk)).context["form"]
    assert form.fields["room"].disabled and form.fields["x_m"].disabled
    admin = django_user_model.objects.create_superuser(username="admin", password="x" * 12)
    client.force_login(admin)
    form = client.get(url(Placement, "edit", tour["vilnius_placement"].pk)).context["form"]
    assert not form.fields["room"].disabled
