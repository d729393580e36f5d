"""Perspectives show disagreement between at least two visible voices."""

from django.core.exceptions import ValidationError
from django.utils import translation

from wagtail.models import Locale

import pytest

from stories.factories import VoiceFactory, consented_voice, grant
from stories.models import Perspective, PerspectiveText, Position
from visibility.channels import WEB

pytestmark = pytest.mark.django_db


def make_perspective(*voices, live=True, slug="who-is-to-blame"):
    sv = Locale.objects.get(language_code="sv")
    en = Locale.objects.get(language_code="en")
    perspective = Perspective(slug=slug, live=live)
    perspective.texts.add(PerspectiveText(locale=sv, question="Vem bär ansvaret?"))
    perspective.texts.add(PerspectiveText(locale=en, question="Who is responsible?"))
    first = voices[0]
    for number, voice in enumerate(voices):
        perspective.positions.add(
            Position(
                voice=voice,
                locale=sv,
                statement=f"Ståndpunkt {number} <script>alert(1)</script>",
                stance=Position.Stance.OPENS if voice == first else Position.Stance.CONTESTS,
                responds_to=None if voice == first else first,
            )
        )
    perspective.full_clean()
    perspective.save()
    return perspective


def test_a_perspective_needs_two_voices():
    voice = consented_voice()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="two different voices"):
            make_perspective(voice)
        with pytest.raises(ValidationError, match="two different voices"):
            make_perspective(voice, voice)


def test_shown_side_by_side_with_the_disagreement_named(client):
    first = consented_voice(display_name="Amal (demo)")
    second = consented_voice(display_name="Polisinspektör B (demo)")
    perspective = make_perspective(first, second)
    assert list(Perspective.objects.visible_in(WEB)) == [perspective]
    page = client.get(f"/stories/perspectives/{perspective.slug}/")
    assert page.status_code == 200
    html = page.text
    assert "Vem bär ansvaret?" in html
    assert "Amal (demo)" in html and "Polisinspektör B (demo)" in html
    assert "ifrågasätter" in html.lower() or "contests" in html.lower()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    english = client.get(f"/en/stories/perspectives/{perspective.slug}/")
    assert "Who is responsible?" in english.text
    assert perspective.slug in client.get("/stories/perspectives/").text


def test_withdrawing_one_of_two_voices_hides_the_perspective(client):
    first, second = consented_voice(), consented_voice()
    perspective = make_perspective(first, second)
    second.consents.get().withdraw(by=None, basis="Asked to be removed")
    assert not Perspective.objects.visible_in(WEB).exists()
    assert client.get(f"/stories/perspectives/{perspective.slug}/").status_code == 404
    assert perspective.slug not in client.get("/stories/perspectives/").text


def test_a_voice_hidden_from_the_web_is_left_out_and_not_named(client):
    first, second, third = (
        consented_voice(),
        consented_voice(),
        VoiceFactory(display_name="Dold röst"),
    )
    grant(third, channels={"exhibition"}, countries="SE")
    perspective = make_perspective(first, second, third)
    # Third answers first; make second answer third, whose name must not appear.
    position = perspective.positions.get(voice=second)
    position.responds_to = third
    position.save()
    html = client.get(f"/stories/perspectives/{perspective.slug}/").text
    assert "Dold röst" not in html


def test_unpublished_perspective_is_not_shown(client):
    perspective = make_perspective(consented_voice(), consented_voice(), live=False)
    assert client.get(f"/stories/perspectives/{perspective.slug}/").status_code == 404
