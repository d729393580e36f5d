"""Public testimony pages: only what consent allows, in the languages it allows, behind the
content notes until the visitor chooses, with support information beside every testimony."""

import re

from django.test import Client
from django.utils import timezone, translation

import pytest

from collection.factories import ObjectRecordFactory
from stories.factories import VoiceFactory, grant
from stories.models import MediaTrack, SupportResource, VoiceIdentity
from stories.models import TestimonyObject as ObjectLink  # not collected as a test class
from stories.views import REVEALED_SESSION_KEY, parse_start
from tests.stories.testimony_builders import everywhere, locale, spoken_testimony, yesterday

pytestmark = pytest.mark.django_db


def page_url(testimony, language="sv", query=""):
    prefix = "" if language == "sv" else f"/{language}"
    return f"{prefix}/stories/testimonies/{testimony.slug}/{query}"


def media_url(testimony):
    return f"/stories/testimonies/{testimony.slug}/recording/"


def track_url(testimony, language="sv", kind="captions"):
    return f"/stories/testimonies/{testimony.slug}/tracks/{language}/{kind}.vtt"


def main_html(response) -> str:
    """The page's <main>, where the testimony is (the header has the language switcher)."""
    text = response.text
    return text[text.index("<main") : text.index("</main>")]


# --- visibility ------------------------------------------------------------------------------


def _withdrawn():
    testimony = spoken_testimony(consent=everywhere())
    testimony.voice.consents.get().withdraw(by=None, basis="The voice asked by phone.")
    return testimony


def _testimony_consent_narrower():
    testimony = spoken_testimony(consent=everywhere())
    grant(testimony.voice, testimony=testimony, channels={"print"}, countries="*")
    return testimony


INVISIBLE = {
    "draft": lambda: spoken_testimony(consent=everywhere(), live=False),
    "no consent": lambda: spoken_testimony(consent=None),
    "withdrawn": _withdrawn,
    "expired yesterday": lambda: spoken_testimony(consent=everywhere(expires_on=yesterday())),
    "expires today": lambda: spoken_testimony(consent=everywhere(expires_on=timezone.localdate())),
    "not for the web": lambda: spoken_testimony(
        consent=everywhere(channels={"exhibition", "touring", "print"})
    ),
    "some countries only": lambda: spoken_testimony(consent=everywhere(countries="SE,NO")),
    "testimony consent narrower": _testimony_consent_narrower,
}


@pytest.mark.parametrize("case", INVISIBLE)
def test_invisible_testimony_is_404_everywhere(client, case):
    testimony = INVISIBLE[case]()
    for url in (
        page_url(testimony),
        page_url(testimony, "en"),
        media_url(testimony),
        track_url(testimony),
        track_url(testimony, "en", "subtitles"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/stories/testimonies/{testimony.slug}/show/").status_code == 404
    listing = client.get("/stories/testimonies/").text
    assert testimony.slug not in listing
    assert "Resan hit" not in listing and "Mirjam (test)" not in listing


def test_visible_testimony_is_listed_and_shown(client):
    testimony = spoken_testimony(consent=everywhere())
    listing = client.get("/stories/testimonies/")
    assert listing.status_code == 200
    assert page_url(testimony) in listing.text
    assert "Resan hit" in listing.text
    response = client.get(page_url(testimony))
    assert response.status_code == 200
    html = main_html(response)
    assert "Resan hit" in html
    assert "SVENSK-BRODTEXT" in html and "LATTLAST-SV" in html and "CITAT-SV" in html
    # One language at a time: the English text is not on the Swedish page.
    assert "ENGLISH-BODY" not in html and "QUOTE-EN" not in html
    assert "private" in response["Cache-Control"]


def test_a_withdrawal_takes_the_page_away_at_once(client):
    testimony = spoken_testimony(consent=everywhere())
    assert client.get(page_url(testimony)).status_code == 200
    assert client.get(media_url(testimony)).status_code == 200
    testimony.voice.consents.get().withdraw(by=None, basis="Withdrawn in a meeting.")
    assert client.get(page_url(testimony)).status_code == 404
    assert client.get(media_url(testimony)).status_code == 404


def test_shows_the_pseudonym_and_role_never_the_identity(client):
    testimony = spoken_testimony(consent=everywhere())
    identity = VoiceIdentity(voice=testimony.voice)
    identity.real_name = "Verkligt Hemligtnamn"
    identity.contact = "hemlig@example.org"
    identity.save()
    testimony.voice.organisation = "Stödföreningen (test)"
    testimony.voice.save()
    html = main_html(client.get(page_url(testimony, "en")))
    assert "Mirjam (test)" in html and "survivor" in html
    assert "Verkligt Hemligtnamn" not in html and "hemlig@example.org" not in html


def test_the_transcript_drops_notes_voice_names_and_markup(client):
    testimony = spoken_testimony(consent=everywhere())
    html = main_html(client.get(page_url(testimony)))
    assert "Jag kom hit för att arbeta." in html
    for hidden in ("Anna Andersson", "Mirjam Realname", "<script>alert(1)", "<i>ingen"):
        assert hidden not in html
    # Entities are decoded then escaped once: the text reads "&", not "&amp;amp;".
    assert "trodde &amp; ingen lyssnade" in html
    lines = re.findall(
        r'<li class="transcript__line" data-start="([\d.]+)" data-end="([\d.]+)"', html
    )
    assert lines == [("1", "4"), ("4", "9.5"), ("9.5", "20")]
    assert 'href="?t=9.5#player"' in html


def test_chapters_are_listed_with_links_that_work_without_javascript(client):
    testimony = spoken_testimony(consent=everywhere())
    html = main_html(client.get(page_url(testimony)))
    assert "AVSNITT-SV Ankomsten" in html and "AVSNITT-SV Efteråt" in html
    assert "Hur det började." in html and "arbete, resa" in html
    assert "PART-EN" not in html
    chapter = re.search(r'<a href="([^"]+)" data-seek="9.5">', html)
    assert chapter and chapter.group(1) == "?t=9.5#player"
    # The English page has English chapters.
    english = main_html(client.get(page_url(testimony, "en")))
    assert "PART-EN Arrival" in english and "AVSNITT-SV" not in english


def test_tracks_and_player_markup(client):
    testimony = spoken_testimony(consent=everywhere())
    html = main_html(client.get(page_url(testimony, "en")))
    assert f'<source src="{"/en" + media_url(testimony)}" type="audio/mpeg">' in html
    assert f'src="/en{track_url(testimony, "en", "subtitles")}" default' in html
    assert f'src="/en{track_url(testimony, "sv", "captions")}"' in html
    assert "I came here to work." in html  # the English transcript on the English page
    assert "test-recording" not in html  # never the file's own media path


# --- languages ---------------------------------------------------------------------------------


def test_only_allowed_languages_with_an_explicit_fallback(client):
    testimony = spoken_testimony(consent=everywhere(languages="sv"))
    response = client.get(page_url(testimony, "en"))
    assert response.status_code == 200
    html = main_html(response)
    assert "SVENSK-BRODTEXT" in html and "Resan hit" in html
    assert "ENGLISH-BODY" not in html and "The journey here" not in html
    assert "QUOTE-EN" not in html and "EASYREAD-EN" not in html and "PART-EN" not in html
    assert "I came here to work." not in html
    assert "not available in your language. It is shown in Swedish" in html
    assert client.get(track_url(testimony, "en", "subtitles")).status_code == 404
    assert client.get(track_url(testimony, "sv", "captions")).status_code == 200
    assert "/tracks/en/" not in html
    listing = client.get("/en/stories/testimonies/").text
    assert "Resan hit" in listing and "The journey here" not in listing


def test_no_allowed_text_means_no_page(client):
    testimony = spoken_testimony(consent=everywhere(languages="ar"))
    assert client.get(page_url(testimony)).status_code == 404
    assert client.get(media_url(testimony)).status_code == 404
    assert client.get(track_url(testimony)).status_code == 404
    assert testimony.slug not in client.get("/stories/testimonies/").text


def test_a_testimony_consent_narrows_the_languages(client):
    testimony = spoken_testimony(consent=everywhere())
    grant(testimony.voice, testimony=testimony, **everywhere(languages="en"))
    html = main_html(client.get(page_url(testimony, "sv")))
    assert "ENGLISH-BODY" in html and "SVENSK-BRODTEXT" not in html
    assert "finns inte på ditt språk" in html or "not available in your language" in html
    assert client.get(track_url(testimony, "sv", "captions")).status_code == 404


def test_voice_consents_add_up_their_languages(client):
    voice = VoiceFactory(display_name="Mirjam (test)")
    grant(voice, **everywhere(languages="sv"))
    grant(voice, **everywhere(languages="en-GB, en"))
    testimony = spoken_testimony(voice=voice)
    assert "ENGLISH-BODY" in main_html(client.get(page_url(testimony, "en")))
    assert "SVENSK-BRODTEXT" in main_html(client.get(page_url(testimony, "sv")))


def test_a_regional_consent_does_not_admit_the_bare_language(client):
    testimony = spoken_testimony(consent=everywhere(languages="sv,en-GB"))
    html = main_html(client.get(page_url(testimony, "en")))
    assert "ENGLISH-BODY" not in html and "SVENSK-BRODTEXT" in html


def test_other_allowed_languages_are_offered(client):
    testimony = spoken_testimony(consent=everywhere())
    html = main_html(client.get(page_url(testimony, "sv")))
    assert f'href="/en/stories/testimonies/{testimony.slug}/" hreflang="en"' in html
    narrow = spoken_testimony(consent=everywhere(languages="sv"), slug="narrow")
    assert 'hreflang="en"' not in main_html(client.get(page_url(narrow, "sv")))


# --- content-note gate -------------------------------------------------------------------------


def test_content_notes_come_first_and_the_testimony_is_not_in_the_html(client):
    testimony = spoken_testimony(consent=everywhere(), content_notes=["sexual_violence", "suicide"])
    response = client.get(page_url(testimony, "en"))
    assert response.status_code == 200
    html = main_html(response)
    assert "sexual violence" in html and "suicide" in html
    assert "Show the testimony" in html and 'name="csrfmiddlewaretoken"' in html
    for content in (
        "ENGLISH-BODY",
        "EASYREAD-EN",
        "QUOTE-EN",
        "I came here to work.",
        "PART-EN",
        "/recording/",
        ".vtt",
        "<audio",
    ):
        assert content not in html, content
    # The title, the voice and support stay visible; the quick exit too.
    assert "The journey here" in html and "Mirjam (test)" in html
    assert 'class="support"' in html
    assert "data-quick-exit" in response.text
    assert "testimony-player.js" not in response.text


def test_showing_is_a_post_with_csrf_remembered_for_the_session(client):
    testimony = spoken_testimony(consent=everywhere(), content_notes=["violence"])
    other = spoken_testimony(
        voice=testimony.voice, content_notes=["violence"], slug="another-testimony"
    )
    strict = Client(enforce_csrf_checks=True)
    strict.get(page_url(testimony))
    assert strict.post(f"/stories/testimonies/{testimony.slug}/show/").status_code == 403
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        f"/stories/testimonies/{testimony.slug}/show/",
        {"csrfmiddlewaretoken": token, "t": "9.5"},
    )
    assert response.status_code == 303
    assert response["Location"] == f"/stories/testimonies/{testimony.slug}/?t=9.5#player"
    html = main_html(strict.get(page_url(testimony, query="?t=9.5")))
    assert "SVENSK-BRODTEXT" in html and "<audio" in html and "#t=9.5" in html
    assert "Show the testimony" not in html and "Visa vittnesmålet" not in html
    assert "Content note:" in html or "Innehållsvarning:" in html
    # Remembered for that testimony only, and only in this session.
    assert "SVENSK-BRODTEXT" not in main_html(strict.get(page_url(other)))
    assert "SVENSK-BRODTEXT" not in main_html(client.get(page_url(testimony)))
    assert strict.session[REVEALED_SESSION_KEY] == [testimony.pk]


def test_the_show_form_accepts_only_post(client):
    testimony = spoken_testimony(consent=everywhere(), content_notes=["violence"])
    assert client.get(f"/stories/testimonies/{testimony.slug}/show/").status_code == 405


def test_a_hostile_start_is_dropped_from_the_redirect(client):
    testimony = spoken_testimony(consent=everywhere(), content_notes=["violence"])
    response = client.post(
        f"/stories/testimonies/{testimony.slug}/show/", {"t": "https://evil.example/"}
    )
    assert response.status_code == 303
    assert response["Location"] == f"/stories/testimonies/{testimony.slug}/#testimony-content"


def test_without_notes_there_is_no_gate(client):
    testimony = spoken_testimony(consent=everywhere())
    html = main_html(client.get(page_url(testimony)))
    assert "SVENSK-BRODTEXT" in html and "Show the testimony" not in html
    assert "Visa vittnesmålet" not in html


# --- deep links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "-5",
        "abc",
        "nan",
        "NaN",
        "inf",
        "1e309",
        "1e3",
        "0x10",
        "21",  # after the end of a 20-second recording
        "9999999",
        "12;alert(1)",
        '"><script>alert(1)</script>',
        "1" * 200,
        " 12",
        "12.34567",
        "١٢",  # Arabic-Indic digits: not a time here
    ],
)
def test_hostile_start_values_are_ignored(client, value):
    testimony = spoken_testimony(consent=everywhere())
    response = client.get(page_url(testimony), {"t": value})
    assert response.status_code == 200
    html = main_html(response)
    assert 'data-start="' not in html.split("<audio", 1)[1].split(">", 1)[0]
    assert "recording/#t=" not in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("value", "expected"), [("0", "0"), ("12", "12"), ("12.5", "12.5"), ("20", "20")]
)
def test_a_start_opens_the_recording_there(client, value, expected):
    testimony = spoken_testimony(consent=everywhere())
    html = main_html(client.get(page_url(testimony), {"t": value}))
    assert f'recording/#t={expected}" type="audio/mpeg"' in html
    assert f'data-start="{expected}"' in html


def test_parse_start_limits():
    assert parse_start("3600", None) == 3600
    assert parse_start("90000", None) is None  # more than a day without a known duration
    assert parse_start("10.25", 10.0) is None
    assert parse_start("", 10.0) is None and parse_start(None, 10.0) is None


# --- linked objects and support ------------------------------------------------------------------


def test_linked_objects_only_when_the_web_may_show_them(client):
    testimony = spoken_testimony(consent=everywhere())
    shown = ObjectRecordFactory(title="SYNLIGT-FÖREMÅL")
    hidden = ObjectRecordFactory(title="DOLT-FÖREMÅL", is_published=False)
    ObjectLink.objects.create(testimony=testimony, object=shown, excerpt="Om skålen.")
    ObjectLink.objects.create(testimony=testimony, object=hidden, excerpt="HEMLIGT-UTDRAG")
    html = main_html(client.get(page_url(testimony)))
    assert "SYNLIGT-FÖREMÅL" in html and f'href="/collection/{shown.pk}/"' in html
    assert "Om skålen." in html
    assert "DOLT-FÖREMÅL" not in html and "HEMLIGT-UTDRAG" not in html
    assert f"/collection/{hidden.pk}/" not in html


def test_an_excerpt_is_left_out_under_a_language_limit(client):
    testimony = spoken_testimony(consent=everywhere(languages="sv"))
    shown = ObjectRecordFactory(title="SYNLIGT-FÖREMÅL")
    ObjectLink.objects.create(testimony=testimony, object=shown, excerpt="UTDRAG-UTAN-SPRÅK")
    html = main_html(client.get(page_url(testimony)))
    assert "SYNLIGT-FÖREMÅL" in html and "UTDRAG-UTAN-SPRÅK" not in html


def test_support_beside_every_testimony_in_the_visitors_language_first(client):
    sv, en = locale("sv"), locale("en")
    helpline = SupportResource.objects.create(
        locale=sv,
        name="Stödlinjen (test)",
        kind="helpline",
        country="SE",
        service_languages="sv",
        phone="020-12 34 56",
        description="SV-BESKRIVNING",
        sort_order=1,
    )
    english = helpline.copy_for_translation(en)
    english.name = "The Support Line (test)"
    english.description = "EN-DESCRIPTION"
    english.save()
    SupportResource.objects.create(
        locale=sv,
        name="English Helpline (test)",
        kind="helpline",
        service_languages="en, ar",
        phone="+44 20 7946 0000",
        sort_order=5,
    )
    SupportResource.objects.create(
        locale=sv, name="INAKTIV (test)", kind="helpline", is_active=False
    )
    testimony = spoken_testimony(consent=everywhere(), content_notes=["violence"])
    sv_html = main_html(client.get(page_url(testimony)))
    assert "SV-BESKRIVNING" in sv_html and 'href="tel:020123456"' in sv_html
    assert sv_html.index("Stödlinjen (test)") < sv_html.index("English Helpline (test)")
    assert "INAKTIV" not in sv_html
    en_html = main_html(client.get(page_url(testimony, "en")))
    assert "EN-DESCRIPTION" in en_html and "SV-BESKRIVNING" not in en_html
    # The service that answers in English comes first for an English reader.
    assert en_html.index("English Helpline (test)") < en_html.index("The Support Line (test)")
    assert 'href="tel:+442079460000"' in en_html
    assert "Stödlinjen (test)" in main_html(client.get("/stories/testimonies/"))


def test_a_broken_stored_track_does_not_break_the_page(client):
    testimony = spoken_testimony(consent=everywhere())
    # Saved around the admin's validation (e.g. by a script): the page and track still behave.
    MediaTrack.objects.filter(testimony=testimony, locale=locale("sv")).update(webvtt="not a track")
    response = client.get(page_url(testimony))
    assert response.status_code == 200
    assert "SVENSK-BRODTEXT" in main_html(response)
    assert client.get(track_url(testimony)).status_code == 404


def test_fictional_demo_voices_say_so(client):
    testimony = spoken_testimony(consent=everywhere())
    testimony.voice.is_fictional_demo = True
    testimony.voice.save()
    html = main_html(client.get(page_url(testimony, "en")))
    assert "Fictional demo content" in html
    assert "fictional demo voice" in main_html(client.get("/en/stories/testimonies/"))


def test_a_moment_url_for_search_hits(client):
    from stories.public import testimony_moment_url

    testimony = spoken_testimony(consent=everywhere())
    with translation.override("sv"):  # in the language active where the link is made
        url = testimony_moment_url(testimony.slug, 9.5)
        assert url == f"/stories/testimonies/{testimony.slug}/?t=9.5"
        assert testimony_moment_url(testimony.slug, 0) == f"/stories/testimonies/{testimony.slug}/"
    with translation.override("en"):
        assert (
            testimony_moment_url(testimony.slug, 3)
            == f"/en/stories/testimonies/{testimony.slug}/?t=3"
        )
    assert 'recording/#t=9.5"' in main_html(client.get(url))


def test_themes_in_the_visitors_language(client):
    from stories.models import Theme

    theme = Theme.objects.create(locale=locale("sv"), name="TEMA-Förtroende", slug="trust")
    english = theme.copy_for_translation(locale("en"))
    english.name = "THEME-Trust"
    english.save()
    testimony = spoken_testimony(consent=everywhere())
    testimony.themes.add(theme)
    testimony.save()
    assert "TEMA-Förtroende" in main_html(client.get(page_url(testimony)))
    html = main_html(client.get(page_url(testimony, "en")))
    assert "THEME-Trust" in html and "TEMA-Förtroende" not in html
    assert "THEME-Trust" in main_html(client.get("/en/stories/testimonies/"))
