"""Testimonies, moments in recordings and perspectives are searchable; withdrawal removes
them from the index at once; gated and identity data never reach it."""

from django.db import transaction

from wagtail.models import Locale

import pytest

from search import registry, service
from search.query import SearchQuery
from stories import factories
from stories.models import MediaTrack, Segment, VoiceIdentity

pytestmark = pytest.mark.django_db

VTT = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nJag lovades ett arbete på ett bageri.\n\n"
    "00:01:00.000 --> 00:01:05.000\nSkulden blev aldrig mindre.\n"
)


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.ELASTICSEARCH_URL = None


def hits(text, **kwargs):
    return service.search(SearchQuery(text=text, page_size=50, **kwargs)).hits


def ids(text, **kwargs) -> set[str]:
    return {hit.id for hit in hits(text, **kwargs)}


def spoken(**fields):
    testimony = factories.published_testimony(**fields)
    sv = Locale.objects.get(language_code="sv")
    testimony.media_kind = "audio"
    testimony.media_file.name = "testimonies/media/demo.ogg"
    testimony.duration_seconds = 90
    testimony.save()
    MediaTrack.objects.create(testimony=testimony, locale=sv, webvtt=VTT)
    Segment.objects.create(
        testimony=testimony,
        locale=sv,
        start_seconds=60,
        end_seconds=80,
        title="Skulden",
        keywords="skuld, pengar",
    )
    return testimony


def test_stories_register_their_sources():
    assert {"testimony", "moment", "perspective"} <= {s.kind for s in registry.sources()}


def test_a_transcript_hit_opens_the_recording_at_that_moment():
    testimony = spoken()
    service.rebuild()
    [moment] = [h for h in hits("skulden") if h.kind == "moment"]
    assert moment.url.endswith(f"/stories/testimonies/{testimony.slug}/?t=60")
    assert f"testimony:{testimony.pk}" in ids("bageri")
    assert any(h.kind == "moment" for h in hits('"aldrig mindre"'))


def test_gated_testimonies_are_found_by_title_but_not_by_what_the_gate_hides():
    testimony = spoken(content_notes=["violence"])
    service.rebuild()
    assert f"testimony:{testimony.pk}" in ids(testimony.texts.get().title)
    assert ids("bageri") == set()
    assert not [
        h for h in hits("skuld") if h.kind == "moment" and "Skulden blev" in str(h.__dict__)
    ]


def test_withdrawal_and_unpublishing_leave_the_index_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        testimony = spoken()
        other = spoken()
    assert f"testimony:{testimony.pk}" in ids("bageri")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        testimony.voice.consents.get().withdraw(by=None, basis="Asked to be removed")
    found = ids("bageri")
    assert f"testimony:{testimony.pk}" not in found and f"testimony:{other.pk}" in found
    assert not [h for h in hits("skulden") if h.kind == "moment" and h.url.count(testimony.slug)]
    with django_capture_on_commit_callbacks(execute=True):
        other.live = False
        other.save()
    assert ids("bageri") == set()


def test_identities_and_consent_bases_are_never_indexed():
    testimony = spoken()
    identity = VoiceIdentity(voice=testimony.voice)
    identity.real_name = "Hemliga Unikanamnet"
    identity.save()
    service.rebuild()
    assert ids("Unikanamnet") == set()
    assert ids("Test consent") == set()  # the basis written by the factory
    assert f"testimony:{testimony.pk}" in ids(testimony.voice.display_name.split()[0])
