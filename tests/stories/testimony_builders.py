"""Builders shared by the testimony page, media and browser tests."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.models import Locale

from stories.factories import TestimonyFactory, VoiceFactory, grant
from stories.models import MediaTrack, PullQuote, Segment, TestimonyText

# 1,000 bytes that differ from one position to the next, so a wrong range shows.
RECORDING = bytes(i % 251 for i in range(1000))

SV_TRACK = """WEBVTT

NOTE Internal: interviewed by Anna Andersson, real name in the file

00:00:01.000 --> 00:00:04.000
<v Mirjam Realname>Jag kom hit för att arbeta.

00:00:04.000 --> 00:00:09.500
Det blev inte som jag trodde &amp; <i>ingen</i> lyssnade.

00:00:09.500 --> 00:00:20.000
Nu berättar jag <script>alert(1)</script> min historia.
"""

EN_TRACK = """WEBVTT

00:00:01.000 --> 00:00:04.000
I came here to work.

00:00:04.000 --> 00:00:09.500
It was not what I thought.

00:00:09.500 --> 00:00:20.000
Now I tell my story.
"""


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def everywhere(**overrides) -> dict:
    """A consent scope: every channel and country unless overridden."""
    scope = {"channels": {"web", "exhibition", "touring", "print"}, "countries": "*"}
    scope.update(overrides)
    return scope


def spoken_testimony(*, voice=None, consent=None, content_notes=(), live=True, **fields):
    """A testimony with Swedish and English texts, quotes, an audio recording, tracks and
    segments in both languages. ``consent`` is the voice's consent scope (``None``: none)."""
    if voice is None:
        voice = VoiceFactory(display_name=fields.pop("display_name", "Mirjam (test)"))
        if consent is not None:
            grant(voice, **consent)
    testimony = TestimonyFactory(
        voice=voice,
        live=live,
        content_notes=list(content_notes),
        title="Resan hit",
        **fields,
    )
    sv, en = locale("sv"), locale("en")
    TestimonyText.objects.filter(testimony=testimony).update(
        body="<p>SVENSK-BRODTEXT om resan.</p>", easy_read_summary="LATTLAST-SV kort."
    )
    TestimonyText.objects.create(
        testimony=testimony,
        locale=en,
        title="The journey here",
        body="<p>ENGLISH-BODY about the journey.</p>",
        easy_read_summary="EASYREAD-EN short.",
    )
    PullQuote.objects.create(testimony=testimony, locale=sv, text="CITAT-SV: ingen lyssnade")
    PullQuote.objects.create(testimony=testimony, locale=en, text="QUOTE-EN: nobody listened")
    MediaTrack.objects.create(testimony=testimony, locale=sv, kind="captions", webvtt=SV_TRACK)
    MediaTrack.objects.create(testimony=testimony, locale=en, kind="subtitles", webvtt=EN_TRACK)
    Segment.objects.create(
        testimony=testimony,
        locale=sv,
        start_seconds=0,
        end_seconds=9.5,
        title="AVSNITT-SV Ankomsten",
        summary="Hur det började.",
        keywords="arbete, resa",
    )
    Segment.objects.create(
        testimony=testimony,
        locale=sv,
        start_seconds=9.5,
        end_seconds=20,
        title="AVSNITT-SV Efteråt",
    )
    Segment.objects.create(
        testimony=testimony, locale=en, start_seconds=0, end_seconds=9.5, title="PART-EN Arrival"
    )
    testimony.media_kind = "audio"
    testimony.media_file.save("test-recording.mp3", ContentFile(RECORDING), save=False)
    testimony.duration_seconds = 20.0
    testimony.save()
    return testimony


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)
