"""Voices on objects as W3C annotations in object manifests, and spoken-testimony manifests
with an audio canvas and WebVTT tracks; all schema-valid and gone once consent is."""

from django.core.files.base import ContentFile

from wagtail.models import Locale

import pytest

from collection.factories import ObjectRecordFactory
from stories import models as stories_models
from stories.factories import published_testimony
from stories.models import MediaTrack
from tests.iiif.test_presentation import assert_valid, make_image, media, validator  # noqa: F401

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nDet här är en påhittad demo.\n"


def manifest_of(client, obj):
    response = client.get(f"/iiif/presentation/objects/{obj.pk}/manifest")
    assert response.status_code == 200
    return response.json()


def pin(
    testimony, obj, object_image, region="400,300,200,100", excerpt="Den här skålen minns jag."
):
    return stories_models.TestimonyObject.objects.create(
        testimony=testimony, object=obj, object_image=object_image, region=region, excerpt=excerpt
    )


def test_a_voice_pinned_to_a_region_appears_as_an_annotation(client, validator):  # noqa: F811
    obj = ObjectRecordFactory()
    object_image = make_image(obj, size=(800, 600), max_size=400)  # canvas at half size
    testimony = published_testimony()
    pin(testimony, obj, object_image)
    manifest = manifest_of(client, obj)
    assert_valid(validator, manifest)
    canvas = manifest["items"][0]
    page = canvas["annotations"][0]
    assert page["type"] == "AnnotationPage"
    [annotation] = page["items"]
    assert annotation["motivation"] == "commenting"
    assert annotation["body"] == {
        "type": "TextualBody",
        "value": "Den här skålen minns jag.",
        "format": "text/plain",
    }
    # Region in master pixels, scaled to the canvas (400 px wide for an 800 px master).
    assert annotation["target"] == f"{canvas['id']}#xywh=200,150,100,50"
    assert testimony.voice.display_name in annotation["label"]["sv"][0]
    # The annotation page is dereferenceable.
    part = client.get(page["id"].removeprefix("http://testserver"))
    assert part.status_code == 200 and part.json()["items"][0]["id"] == annotation["id"]


def test_withdrawn_or_unpublished_voices_leave_the_manifest(client):
    obj = ObjectRecordFactory()
    object_image = make_image(obj)
    withdrawn = published_testimony()
    draft = published_testimony(live=False)
    pin(withdrawn, obj, object_image, excerpt="Withdrawn words")
    pin(draft, obj, object_image, excerpt="Draft words")
    withdrawn.voice.consents.get().withdraw(by=None, basis="Asked to be removed")
    text = client.get(f"/iiif/presentation/objects/{obj.pk}/manifest").text
    assert "Withdrawn words" not in text and "Draft words" not in text
    assert '"annotations"' not in text


def spoken(**fields):
    testimony = published_testimony(**fields)
    testimony.media_kind = "audio"
    testimony.media_file.save("demo.ogg", ContentFile(b"OggS" + b"\0" * 200), save=False)
    testimony.duration_seconds = 12.5
    testimony.save()
    for code in ("sv", "en"):
        MediaTrack.objects.create(
            testimony=testimony, locale=Locale.objects.get(language_code=code), webvtt=VTT
        )
    return testimony


def test_spoken_testimony_manifest_has_an_audio_canvas_and_tracks(client, validator):  # noqa: F811
    testimony = spoken()
    response = client.get(f"/iiif/presentation/testimonies/{testimony.slug}/manifest")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    manifest = response.json()
    assert_valid(validator, manifest)
    canvas = manifest["items"][0]
    assert canvas["duration"] == 12.5
    body = canvas["items"][0]["items"][0]["body"]
    assert body["type"] == "Sound" and body["format"] == "audio/ogg"
    assert body["id"].endswith(f"/stories/testimonies/{testimony.slug}/recording/")
    tracks = canvas["annotations"][0]["items"]
    assert {t["body"]["language"] for t in tracks} == {"sv", "en"}
    assert all(
        t["motivation"] == "supplementing" and t["body"]["format"] == "text/vtt" for t in tracks
    )
    # The recording and the tracks it names are served.
    for url in [body["id"], *(t["body"]["id"] for t in tracks)]:
        served = client.get(url.removeprefix("http://testserver"))
        assert served.status_code == 200, url
        # Viewers on other sites may play them.
        assert served["Access-Control-Allow-Origin"] == "*"


def test_languages_consent_does_not_allow_are_left_out(client):
    from stories.factories import VoiceFactory, grant

    voice = VoiceFactory()
    grant(voice, channels={"web"}, countries="*", languages="sv")
    testimony = spoken(voice=voice)
    manifest = client.get(f"/iiif/presentation/testimonies/{testimony.slug}/manifest").json()
    tracks = manifest["items"][0]["annotations"][0]["items"]
    assert [t["body"]["language"] for t in tracks] == ["sv"]


@pytest.mark.parametrize("case", ["withdrawn", "draft", "no-duration", "no-recording", "unknown"])
def test_no_manifest_without_a_visible_playable_recording(client, case):
    testimony = spoken()
    slug = testimony.slug
    if case == "withdrawn":
        testimony.voice.consents.get().withdraw(by=None, basis="Letter")
    elif case == "draft":
        type(testimony).objects.filter(pk=testimony.pk).update(live=False)
    elif case == "no-duration":
        type(testimony).objects.filter(pk=testimony.pk).update(duration_seconds=None)
    elif case == "no-recording":
        type(testimony).objects.filter(pk=testimony.pk).update(media_file="")
    else:
        slug = "no-such-testimony"
    response = client.get(f"/iiif/presentation/testimonies/{slug}/manifest")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
