"""Admin: only staff with a touring permission see, build, download or revoke packages;
venue contacts stay in the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from tests.touring.builders import CONTACT_MARKER, build_touring_show
from touring.builder import build_package
from touring.models import PackageVersion, VenueContact

pytestmark = pytest.mark.django_db


def staff(username: str, *codenames: str):
    """A member of staff who may use the admin, with the given touring permissions."""
    user = get_user_model().objects.create_user(username, password="a long test password 1")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return get_user_model().objects.get(pk=user.pk)  # a fresh permission cache


def refused(response) -> bool:
    """Wagtail's admin turns a refusal into a redirect to the dashboard with a message."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code == 403


@pytest.fixture
def show():
    return build_touring_show()


def test_staff_without_a_touring_permission_gets_nothing(client, show):
    version = build_package(show["venue"])
    client.force_login(staff("plain"))
    venue = show["venue"]
    assert refused(client.get(reverse("touring_packages")))
    assert refused(client.get(reverse("touring_venue_packages", args=[venue.pk])))
    assert refused(client.get(reverse("touring_coverage", args=[venue.pk])))
    assert refused(client.get(reverse("touring_report", args=[version.pk])))
    assert refused(client.get(reverse("touring_download", args=[version.pk])))
    assert refused(client.post(reverse("touring_build", args=[venue.pk])))
    assert refused(client.post(reverse("touring_revoke", args=[version.pk]), {"reason": "x"}))
    assert PackageVersion.objects.count() == 1
    version.refresh_from_db()
    assert not version.is_revoked


def test_a_builder_builds_in_the_background_and_sees_progress(
    client, show, django_capture_on_commit_callbacks
):
    client.force_login(staff("builder", "build_package"))
    venue = show["venue"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("touring_build", args=[venue.pk]))
    assert response.status_code == 302
    version = PackageVersion.objects.get(venue=venue)
    assert (version.status, version.progress) == (PackageVersion.Status.READY, 100)
    page = client.get(reverse("touring_venue_packages", args=[venue.pk]))
    assert page.status_code == 200
    assert 'value="100"' in page.content.decode()
    assert b'http-equiv="refresh"' not in page.content  # nothing running
    # May build, but not download or revoke.
    assert b"Download" not in page.content
    assert refused(client.get(reverse("touring_download", args=[version.pk])))
    report = client.get(reverse("touring_report", args=[version.pk])).content.decode()
    assert show["uncovered"].inventory_number in report
    index = client.get(reverse("touring_packages"))
    assert index.status_code == 200
    assert "Turnémuseet (test)" in index.content.decode()


def test_a_queued_build_refreshes_the_page_without_javascript(client, show):
    client.force_login(staff("builder", "build_package"))
    venue = show["venue"]
    # on_commit never runs inside the test transaction: the build stays queued.
    client.post(reverse("touring_build", args=[venue.pk]))
    assert PackageVersion.objects.get().status == PackageVersion.Status.QUEUED
    page = client.get(reverse("touring_venue_packages", args=[venue.pk]))
    assert b'<meta http-equiv="refresh" content="3">' in page.content


def test_download_and_revoke_need_their_permissions(client, show):
    version = build_package(show["venue"])
    client.force_login(staff("registrar", "download_package", "revoke_package"))
    response = client.get(reverse("touring_download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")
    # A reason is required.
    client.post(reverse("touring_revoke", args=[version.pk]), {"reason": "  "})
    version.refresh_from_db()
    assert not version.is_revoked
    client.post(reverse("touring_revoke", args=[version.pk]), {"reason": "Lender asked (test)"})
    version.refresh_from_db()
    assert version.is_revoked and version.revoked_reason == "Lender asked (test)"
    assert not PackageVersion.objects.current().exists()


def test_the_coverage_page_has_an_accessible_chart_and_a_table(client, show):
    client.force_login(staff("viewer", "view_packageversion"))
    page = client.get(reverse("touring_coverage", args=[show["venue"].pk])).content.decode()
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "<table" in page and show["uncovered"].inventory_number in page


def test_venue_contacts_are_admin_only(client, show, admin_client):
    contact = VenueContact.objects.get()
    list_url = reverse(VenueContact.snippet_viewset.get_url_name("list"))
    assert CONTACT_MARKER in admin_client.get(list_url).content.decode()
    client.force_login(staff("builder", "build_package"))
    assert refused(client.get(list_url))
    client.logout()
    for path in ("/tour/", "/en/tour/"):
        response = client.get(path)
        assert response.status_code == 200
        assert CONTACT_MARKER not in response.content.decode()
        assert contact.email not in response.content.decode()


def member(role: str):
    """A member of one of the staff roles (users.roles), as the migrations set them up."""
    from django.contrib.auth.models import Group

    from users.roles import ROLES

    user = get_user_model().objects.create_user(role, password="a long test password 1")
    user.groups.add(Group.objects.get(name=ROLES[role]))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_the_staff_roles_have_their_touring_permissions(client, show):
    version = build_package(show["venue"])
    venue = show["venue"]
    contacts = reverse(VenueContact.snippet_viewset.get_url_name("list"))

    client.force_login(member("venue_coordinator"))
    assert client.get(reverse("touring_venue_packages", args=[venue.pk])).status_code == 200
    assert client.get(reverse("touring_download", args=[version.pk])).status_code == 200
    assert CONTACT_MARKER in client.get(contacts).content.decode()
    client.post(reverse("touring_revoke", args=[version.pk]), {"reason": "Test by coordinator"})
    version.refresh_from_db()
    assert version.is_revoked

    client.force_login(member("curator"))
    assert client.get(reverse("touring_packages")).status_code == 200
    assert client.get(reverse("touring_download", args=[version.pk])).status_code == 200
    assert refused(client.get(contacts))  # confidential: coordinators only
    assert refused(client.post(reverse("touring_revoke", args=[version.pk]), {"reason": "x"}))

    client.force_login(member("registrar"))
    assert client.get(reverse("touring_coverage", args=[venue.pk])).status_code == 200
    assert refused(client.get(reverse("touring_download", args=[version.pk])))
    assert refused(client.post(reverse("touring_build", args=[venue.pk])))

    client.force_login(member("educator"))
    assert refused(client.get(reverse("touring_packages")))
    assert refused(client.get(contacts))
