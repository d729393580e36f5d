from django.core.exceptions import ValidationError

import pytest

from collection.factories import ObjectRecordFactory
from exhibition.factories import RoomFactory, VenueFactory
from programme.models import (
    TeacherPackObject,
    TeacherPackPage,
    TeacherPackQuestion,
    TeacherPackRoom,
    TeacherPackTestimony,
)
from stories.factories import published_testimony

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(home_page):
    shown_room = RoomFactory(slug="shown-room", names={"sv": "Synligt rum"})
    hidden_room = RoomFactory(
        slug="hidden-room",
        venue=VenueFactory(announced=False),
        names={"sv": "Hemligt rum"},
    )
    suitable = published_testimony(minimum_age=12, slug="suits-thirteen")
    for_all = published_testimony(minimum_age=0, slug="suits-everyone")
    too_old = published_testimony(minimum_age=15, slug="fifteen-and-over")
    draft = published_testimony(minimum_age=0, slug="draft-testimony", live=False)
    shown_object = ObjectRecordFactory(title="Synligt föremål")
    hidden_object = ObjectRecordFactory(title="Opublicerat föremål", is_published=False)
    page = TeacherPackPage(title="Lärarmaterial 13–15", slug="pack", age_from=13, age_to=15)
    for room in (shown_room, hidden_room):
        page.rooms.add(TeacherPackRoom(room=room))
    for obj in (shown_object, hidden_object):
        page.objects_in_pack.add(TeacherPackObject(object=obj))
    for testimony in (suitable, for_all, too_old, draft):
        page.testimonies.add(
            TeacherPackTestimony(testimony=testimony, note=f"Note {testimony.slug}")
        )
    page.questions.add(TeacherPackQuestion(text="Vem bestämmer?"))
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_pack_shows_what_the_web_shows_and_suits_the_age(client, pack):
    response = client.get(pack.url)
    assert response.status_code == 200
    text = response.text
    assert "Synligt rum" in text and "Hemligt rum" not in text
    assert "Synligt föremål" in text and "Opublicerat föremål" not in text
    assert "Note suits-thirteen" in text and "Note suits-everyone" in text
    assert "Note fifteen-and-over" not in text
    assert "Note draft-testimony" not in text
    assert "Vem bestämmer?" in text


def test_withdrawn_testimony_disappears_from_the_pack(client, pack):
    from stories.models import Testimony

    assert "Note suits-thirteen" in client.get(pack.url).text
    testimony = Testimony.objects.get(slug="suits-thirteen")
    testimony.voice.consents.get().withdraw(by=None, basis="Asked to be removed")
    text = client.get(pack.url).text
    assert "Note suits-thirteen" not in text
    assert "Note suits-everyone" in text


def test_an_older_group_sees_the_older_testimonies(client, home_page):
    testimony = published_testimony(minimum_age=15, slug="fifteen")
    page = TeacherPackPage(title="16–19", slug="older", age_from=16, age_to=19)
    page.testimonies.add(TeacherPackTestimony(testimony=testimony, note="Note fifteen"))
    home_page.add_child(instance=page)
    assert "Note fifteen" in client.get(page.url).text


def test_age_group_must_be_in_order():
    page = TeacherPackPage(title="Bad", slug="bad", age_from=15, age_to=13)
    with pytest.raises(ValidationError) as caught:
        page.full_clean(exclude=["path", "depth", "numchild"])
    assert "age_to" in caught.value.message_dict
