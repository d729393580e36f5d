"""The translations report and PO exchange in the admin."""

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

import polib
import pytest

from exhibition.models import RoomText
from localisation.models import VenueStaff
from tests.localisation.builders import build_tour

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(home_page):
    return build_tour()


def user_with(django_user_model, name, *codenames, venue=None):
    user = django_user_model.objects.create_user(username=name, password="x" * 12)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="localisation", codename__in=codenames),
    )
    if venue is not None:
        VenueStaff.objects.create(user=user, venue=venue)
    return user


@pytest.fixture
def translator(django_user_model):
    user = django_user_model.objects.create_user(username="translator", password="x" * 12)
    user.groups.add(Group.objects.get(name="Translators"))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def denied(response) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to its dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_report_needs_the_permission(client, tour, django_user_model):
    client.force_login(user_with(django_user_model, "editor"))
    assert denied(client.get(reverse("localisation_index")))
    venue_url = reverse("localisation_venue", args=[tour["vilnius"].pk])
    assert denied(client.get(venue_url))
    export_url = reverse("localisation_export", args=[tour["vilnius"].pk, "en"])
    assert denied(client.get(export_url))
    # Reading reports is not enough to exchange PO files.
    client.force_login(user_with(django_user_model, "reader", "view_translation_report"))
    assert client.get(venue_url).status_code == 200
    assert denied(client.get(export_url))
    import_url = reverse("localisation_import", args=[tour["vilnius"].pk])
    assert denied(client.post(import_url, {}))


def test_menu_item_only_for_translators(client, translator, django_user_model):
    client.force_login(translator)
    assert (
        reverse("localisation_index") in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(user_with(django_user_model, "editor"))
    assert (
        reverse("localisation_index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_venue_report_counts_and_drill_down(client, translator, tour):
    client.force_login(translator)
    venue_url = reverse("localisation_venue", args=[tour["vilnius"].pk])
    response = client.get(venue_url)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.for_language("en").counts()["room"] == 1
    with translation.override("en"):
        response = client.get(venue_url, {"language": "en", "kind": "room"})
    items = response.context["items"]
    assert [item.key for item in items] == [f"room:{tour['vilnius_room'].pk}"]
    assert items[0].edit_url in response.content.decode()
    assert client.get(venue_url, {"language": "fr"}).status_code == 404


def test_venue_staff_see_only_their_own_venue(client, tour, django_user_model):
    user = user_with(
        django_user_model,
        "vilnius",
        "view_translation_report",
        "exchange_po_files",
        venue=tour["vilnius"],
    )
    client.force_login(user)
    index = client.get(reverse("localisation_index"))
    assert [row["venue"] for row in index.context["rows"]] == [tour["vilnius"]]
    home = tour["home"].pk
    assert client.get(reverse("localisation_venue", args=[home])).status_code == 404
    assert client.get(reverse("localisation_export", args=[home, "en"])).status_code == 404


def test_export_and_import_through_the_admin(client, translator, tour):
    client.force_login(translator)
    vilnius = tour["vilnius"]
    response = client.get(reverse("localisation_export", args=[vilnius.pk, "en"]))
    assert response.status_code == 200
    assert 'filename="vilnius-en.po"' in response["Content-Disposition"]
    po = polib.pofile(response.content.decode())
    room = tour["vilnius_room"]
    next(e for e in po if e.msgctxt == f"room:{room.pk}:name").msgstr = "Hall"
    upload = SimpleUploadedFile("vilnius-en.po", str(po).encode(), "text/x-gettext-translation")
    with translation.override("en"):
        response = client.post(
            reverse("localisation_import", args=[vilnius.pk]), {"file": upload, "language": "en"}
        )
    assert response.status_code == 200
    assert response.context["result"].created == 1
    assert RoomText.objects.get(room=room, locale__language_code="en").name == "Hall"


def test_bad_upload_reports_and_changes_nothing(client, translator, tour):
    client.force_login(translator)
    vilnius = tour["vilnius"]
    before = list(RoomText.objects.values_list("pk", "name"))
    upload = SimpleUploadedFile("evil.po", b"\x00\x01 not a po file", "application/octet-stream")
    with translation.override("en"):
        response = client.post(
            reverse("localisation_import", args=[vilnius.pk]), {"file": upload, "language": "en"}
        )
    assert response.status_code == 400
    # The admin speaks the site's language, Swedish.
    assert "Det här är ingen PO-fil" in response.content.decode()
    assert "Inget ändrades." in response.content.decode()
    assert list(RoomText.objects.values_list("pk", "name")) == before


def test_import_for_another_venue_is_refused(client, translator, tour):
    client.force_login(translator)
    po = client.get(reverse("localisation_export", args=[tour["vilnius"].pk, "en"])).content
    upload = SimpleUploadedFile("vilnius-en.po", po, "text/x-gettext-translation")
    response = client.post(
        reverse("localisation_import", args=[tour["home"].pk]), {"file": upload, "language": "en"}
    )
    assert response.status_code == 400
    assert response.context["error"]


def test_export_of_the_source_language_is_a_clear_error(client, translator, tour):
    client.force_login(translator)
    response = client.get(reverse("localisation_export", args=[tour["home"].pk, "sv"]))
    assert response.status_code == 400


def test_report_does_not_reach_confidential_data(client, translator, tour):
    """The report lists titles and links only: no consent bases, identities or contacts."""
    client.force_login(translator)
    html = client.get(
        reverse("localisation_venue", args=[tour["vilnius"].pk]), {"language": "en"}
    ).content.decode()
    assert "Test consent" not in html  # the consent basis of the builders' voices
    assert "Test voice A" not in html  # nor who the voice is
