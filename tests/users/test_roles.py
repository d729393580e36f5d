from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from users.roles import ROLES

pytestmark = pytest.mark.django_db


def test_every_staff_role_exists_and_may_use_the_admin():
    for name in ROLES.values():
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), name


def test_a_curator_can_log_in_to_the_admin(client):
    user = get_user_model().objects.create_user("cura", password="a long test password 1")
    user.groups.add(Group.objects.get(name=ROLES["curator"]))
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_a_user_without_a_role_cannot(client):
    user = get_user_model().objects.create_user("nobody", password="a long test password 1")
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_user_string_prefers_display_name():
    user = get_user_model()(username="u1", first_name="Ada", last_name="L", display_name="A. L.")
    assert str(user) == "A. L."
