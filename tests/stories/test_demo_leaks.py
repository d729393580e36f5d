"""The leak crawl: load the demo, crawl every public URL, and find no voice, testimony or
identity that consent keeps off the web."""

from io import StringIO

from django.core.management import call_command

import pytest

from stories.models import Voice, VoiceIdentity
from tests.crawler import Crawler, client_fetcher
from visibility.channels import WEB

pytestmark = pytest.mark.django_db

# Kaisa is the Luleå venue's local partner voice, with consent for the physical show only.
HIDDEN_VOICES = ["Mira (fiktiv", "Anhörig R.", "Tidigare röst", "Kaisa (fiktiv"]
HIDDEN_TEXTS = [
    "Bara i utställningen",
    "Samtycket har gått ut",
    "Återkallat (fiktivt",
    "Vi möter dem som kommer norrut",
]


@pytest.fixture
def crawl(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    call_command("load_demo", "--no-admin", stdout=StringIO())
    # A real identity kept for a demo voice, to prove it never leaks.
    identity = VoiceIdentity(voice=Voice.objects.get(display_name__startswith="Amal"))
    identity.real_name = "Hemligt Riktigtnamn-Demo"
    identity.contact = "secret-contact@example.invalid"
    identity.save()
    crawler = Crawler(client_fetcher(client))
    pages = crawler.crawl()
    return crawler, pages


def test_demo_stories_show_only_what_consent_allows_on_the_web(crawl, client):
    check_the_demo_has_a_spoken_testimony_in_two_languages(client)
    crawler, pages = crawl
    assert crawler.failures(pages) == {}
    perspective_pages = [
        p for p in pages if p.startswith(("/stories/perspectives/", "/en/stories/perspectives/"))
    ]
    assert len(perspective_pages) >= 6  # two listings and two perspectives in two languages
    everything = "\n".join(f.text for f in pages.values())
    assert "Jonas E. (fiktiv demoröst)" in everything and "Nour (fiktiv demoröst)" in everything
    for secret in [*HIDDEN_VOICES, *HIDDEN_TEXTS, "Hemligt Riktigtnamn", "secret-contact@"]:
        assert secret not in everything, secret
    # The visibility rules agree with what the crawl saw.
    hidden = Voice.objects.exclude(pk__in=Voice.objects.visible_in(WEB))
    assert sorted(v.display_name.split(" (")[0] for v in hidden) == [
        "Anhörig R.",
        "Kaisa",
        "Mira",
        "Tidigare röst",
    ]


def check_the_demo_has_a_spoken_testimony_in_two_languages(client):
    from stories.models import Testimony

    testimony = Testimony.objects.get(slug="demo-amal-att-bli-trodd")
    assert testimony.media_kind == "audio" and testimony.duration_seconds > 5
    assert sorted(testimony.tracks.values_list("locale__language_code", flat=True)) == ["en", "sv"]
    assert testimony.segments.count() == 4
    manifest = client.get(f"/iiif/presentation/testimonies/{testimony.slug}/manifest")
    assert manifest.status_code == 200
    canvas = manifest.json()["items"][0]
    assert canvas["duration"] == testimony.duration_seconds
    assert len(canvas["annotations"][0]["items"]) == 2
    recording = client.get(f"/stories/testimonies/{testimony.slug}/recording/")
    assert recording.status_code == 200 and recording["Content-Type"] == "audio/mpeg"
