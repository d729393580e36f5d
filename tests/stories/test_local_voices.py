"""A venue's local partner voices: shown at that venue (and on the web where consent allows),
never in another venue's show, kiosks, package or printed labels."""

import datetime

import pytest

from exhibition.factories import VenueFactory
from stories.factories import consented_voice, published_testimony
from stories.models import Testimony as StoredTestimony  # not collected as a test class
from stories.models import Voice
from visibility.channels import PRINT, VENUE, WEB

pytestmark = pytest.mark.django_db


@pytest.fixture
def venues():
    dates = {"opens_on": datetime.date(2027, 1, 1), "closes_on": datetime.date(2027, 6, 30)}
    return {
        "home": VenueFactory(slug="home", is_home_museum=True, **dates),
        "lulea": VenueFactory(slug="lulea", **dates),
        "berlin": VenueFactory(slug="berlin", country="DE", language_codes="de, en", **dates),
    }


def test_a_local_voice_is_shown_only_at_its_venue_and_on_the_web(venues):
    local = consented_voice(local_venue=venues["lulea"], display_name="Lokal röst (test)")
    everyone = consented_voice(display_name="Allas röst (test)")
    assert set(Voice.objects.visible_in(WEB)) == {local, everyone}
    assert set(Voice.objects.visible_in(VENUE(venues["lulea"]))) == {local, everyone}
    assert set(Voice.objects.visible_in(PRINT(venues["lulea"]))) == {local, everyone}
    for other in ("home", "berlin"):
        assert set(Voice.objects.visible_in(VENUE(venues[other]))) == {everyone}
        assert set(Voice.objects.visible_in(PRINT(venues[other]))) == {everyone}


def test_a_local_voices_testimonies_follow_it(venues):
    local = published_testimony(voice=consented_voice(local_venue=venues["lulea"]))
    shared = published_testimony()
    assert set(StoredTestimony.objects.visible_in(VENUE(venues["lulea"]))) == {local, shared}
    assert set(StoredTestimony.objects.visible_in(VENUE(venues["home"]))) == {shared}
    assert set(StoredTestimony.objects.visible_in(WEB)) == {local, shared}


def test_consent_still_decides_for_a_local_voice(venues):
    voice = consented_voice(local_venue=venues["lulea"])
    voice.consents.get().withdraw(by=None, basis="Asked by the partner organisation.")
    assert not Voice.objects.visible_in(VENUE(venues["lulea"])).exists()
    assert not Voice.objects.visible_in(WEB).exists()


def test_a_venue_with_local_voices_cannot_be_deleted(venues):
    from django.db.models import ProtectedError

    consented_voice(local_venue=venues["berlin"])
    with pytest.raises(ProtectedError):
        venues["berlin"].delete()
