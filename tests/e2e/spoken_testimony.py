"""Adds one spoken, fictional testimony to a running demo site's database, for the browser
tests of the player. Run in the demo's environment (its VAR_DIR):

    VAR_DIR=… DJANGO_SETTINGS_MODULE=config.settings.dev python -m tests.e2e.spoken_testimony

Prints the testimony's cues as JSON. Idempotent: a second run changes nothing.
"""

import json

SLUG = "e2e-spoken-testimony"
SENTENCES_SV = [
    "Jag är en röst som bara finns i ett test.",
    "Ingenting av det här har hänt någon.",
    "Testet kontrollerar att texten följer ljudet.",
]
SENTENCES_EN = [
    "I am a voice that exists only in a test.",
    "None of this happened to anyone.",
    "The test checks that the text follows the sound.",
]


def main() -> None:
    import django

    django.setup()
    from django.db import transaction

    from wagtail.models import Locale

    from stories.demo.audio import make_demo_recording
    from stories.models import (
        Consent,
        ConsentScope,
        MediaTrack,
        Segment,
        Testimony,
        TestimonyText,
        Voice,
    )
    from stories.webvtt import parse_cues

    existing = Testimony.objects.filter(slug=SLUG).first()
    if existing is None:
        sv, en = Locale.objects.get(language_code="sv"), Locale.objects.get(language_code="en")
        recording = make_demo_recording(SENTENCES_SV, "sv")
        with transaction.atomic():
            voice = Voice.objects.create(
                display_name="Teströst E2E (fiktiv)",
                role=Voice.Role.SURVIVOR,
                country="SE",
                language_codes="sv",
                is_fictional_demo=True,
            )
            Consent.grant(
                voice=voice,
                scope=ConsentScope.parse(channels={"web"}, countries="*"),
                by=None,
                basis="Fictional browser-test voice; no real person.",
            )
            testimony = Testimony(
                voice=voice,
                slug=SLUG,
                live=True,
                content_notes=["coercion"],
                media_kind=Testimony.MediaKind.AUDIO,
                duration_seconds=recording.duration,
            )
            testimony.media_file.save(recording.file.name, recording.file, save=False)
            testimony.save()
            TestimonyText.objects.create(
                testimony=testimony,
                locale=sv,
                title="Ett påhittat vittnesmål för test",
                body="<p>Påhittad text för ett webbläsartest.</p>",
            )
            TestimonyText.objects.create(
                testimony=testimony,
                locale=en,
                title="A fictional testimony for testing",
                body="<p>Fictional text for a browser test.</p>",
            )
            MediaTrack.objects.create(
                testimony=testimony, locale=sv, kind="captions", webvtt=recording.webvtt()
            )
            MediaTrack.objects.create(
                testimony=testimony,
                locale=en,
                kind="subtitles",
                webvtt=recording.webvtt_for("en", SENTENCES_EN),
            )
            cues = recording.cues
            for locale, titles in ((sv, ("Början", "Slutet")), (en, ("Beginning", "End"))):
                Segment.objects.create(
                    testimony=testimony,
                    locale=locale,
                    start_seconds=cues[0].start,
                    end_seconds=cues[2].end,
                    title=titles[0],
                    keywords="test",
                )
                Segment.objects.create(
                    testimony=testimony,
                    locale=locale,
                    start_seconds=cues[3].start,
                    end_seconds=cues[3].end,
                    title=titles[1],
                )
        existing = testimony
    track = existing.tracks.get(locale__language_code="en")
    print(json.dumps([[c.start, c.end, c.text] for c in parse_cues(track.webvtt)]))  # noqa: T201


if __name__ == "__main__":
    main()
