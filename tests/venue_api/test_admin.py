import io
import re

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest

from venue_api.models import VenueApiToken, hash_secret


@pytest.fixture
def manager(django_user_model):
    """Staff who may manage tokens through a group, not as a superuser."""
    user = django_user_model.objects.create_user("tokens", password="pw-for-tests-only")
    group = Group.objects.create(name="Token managers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="manage_venueapitoken"),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def other_staff(django_user_model):
    user = django_user_model.objects.create_user("curator", password="pw-for-tests-only")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    return user


def test_creating_a_token_shows_the_secret_once_and_stores_a_hash(client, manager, venue):
    client.force_login(manager)
    response = client.post(
        reverse("venue_api_tokens:add"),
        {"venue": venue.pk, "name": "kiosk server", "expires_at": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    secret = re.search(r'id="venue-api-token"[^>]*>([^<]+)<', response.content.decode())[1]
    token = VenueApiToken.objects.get()
    assert token.created_by == manager and token.venue == venue
    assert token.secret_hash == hash_secret(secret.partition(".")[2])
    assert secret.partition(".")[2] not in str(VenueApiToken.objects.values().get())
    assert VenueApiToken.authenticate(secret) == token
    listing = client.get(reverse("venue_api_tokens:index"))
    assert listing.status_code == 200
    assert token.prefix in listing.content.decode()
    assert secret.partition(".")[2] not in listing.content.decode()


def test_an_expiry_in_the_past_is_refused(client, manager, venue):
    client.force_login(manager)
    response = client.post(
        reverse("venue_api_tokens:add"),
        {"venue": venue.pk, "name": "kiosk", "expires_at": "2001-01-01 10:00"},
    )
    assert response.status_code == 200
    assert not VenueApiToken.objects.exists()


def test_revoking_stops_the_token(client, manager, venue):
    token, secret = VenueApiToken.issue(venue, "kiosk")
    client.force_login(manager)
    page = client.get(reverse("venue_api_tokens:revoke", args=[token.pk]))
    assert page.status_code == 200
    response = client.post(reverse("venue_api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert VenueApiToken.authenticate(secret) is None


def test_staff_without_the_permission_cannot_see_or_make_tokens(client, other_staff, venue):
    token, _secret = VenueApiToken.issue(venue, "kiosk")
    client.force_login(other_staff)
    for url in (
        reverse("venue_api_tokens:index"),
        reverse("venue_api_tokens:add"),
        reverse("venue_api_tokens:revoke", args=[token.pk]),
    ):
        response = client.get(url)
        assert response.status_code in {302, 403}
    client.post(reverse("venue_api_tokens:revoke", args=[token.pk]))
    client.post(reverse("venue_api_tokens:add"), {"venue": venue.pk, "name": "x"})
    token.refresh_from_db()
    assert token.revoked_at is None and VenueApiToken.objects.count() == 1


def test_the_command_prints_the_token_once(venue):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_venue_token", venue=venue.slug, name="kiosk", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert VenueApiToken.authenticate(secret).venue == venue
    assert "shown only once" in err.getvalue()
    assert secret not in err.getvalue()


def test_the_command_refuses_an_unknown_venue(db):
    with pytest.raises(CommandError, match="No venue with the slug 'nowhere'"):
        call_command("create_venue_token", venue="nowhere", name="kiosk")


def test_venue_coordinators_may_manage_tokens_and_curators_may_not(django_user_model):
    coordinator = django_user_model.objects.create_user("coordinator")
    coordinator.groups.add(Group.objects.get(name="Venue coordinators"))
    curator = django_user_model.objects.create_user("curator-only")
    curator.groups.add(Group.objects.get(name="Curators"))
    assert coordinator.has_perm("venue_api.manage_venueapitoken")
    assert not curator.has_perm("venue_api.manage_venueapitoken")
