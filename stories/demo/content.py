"""Fictional demo voices, consent, testimonies, perspectives and support information.

Every voice here is invented, is flagged ``is_fictional_demo`` and says so in its name; the
texts say they are fictional. Nothing is based on a real person's testimony. Loading is
idempotent: a second run adds nothing.

Consent cases shown: voices with every channel; one with the physical show in Sweden only (not
on the web); one whose consent has expired; one who withdrew consent.
"""

import datetime

from django.db import transaction

from wagtail.models import Locale

from stories.models import (
    Consent,
    ConsentScope,
    Perspective,
    PerspectiveText,
    Position,
    SupportResource,
    Testimony,
    TestimonyText,
    Theme,
    Voice,
)

BASIS = "Fictional demo content: no real person; recorded by the demo loader."
EVERYWHERE = {"channels": {"web", "exhibition", "touring", "print"}, "countries": "*"}

VOICES = [
    # (key, display name, role, organisation, country, languages, consent)
    ("amal", "Amal (fiktiv demoröst)", "survivor", "", "SE", "sv, ar", EVERYWHERE),
    (
        "mira",
        "Mira (fiktiv demoröst)",
        "survivor",
        "",
        "SE",
        "sv",
        {"channels": {"exhibition"}, "countries": "SE", "languages": "sv"},
    ),
    ("jonas", "Jonas E. (fiktiv demoröst)", "police", "Polisen (demo)", "SE", "sv", EVERYWHERE),
    (
        "sara",
        "Sara K. (fiktiv demoröst)",
        "prosecutor",
        "Åklagarmyndigheten (demo)",
        "SE",
        "sv, en",
        EVERYWHERE,
    ),
    (
        "lina",
        "Lina (fiktiv demoröst)",
        "social_worker",
        "Socialtjänsten (demo)",
        "SE",
        "sv",
        EVERYWHERE,
    ),
    (
        "ngo",
        "Nour (fiktiv demoröst)",
        "ngo_worker",
        "Exempelstiftelsen (fiktiv)",
        "SE",
        "sv, en, ar",
        EVERYWHERE,
    ),
    (
        "researcher",
        "Dr. Eva Demo (fiktiv)",
        "researcher",
        "Exempeluniversitetet (fiktivt)",
        "SE",
        "sv, en",
        EVERYWHERE,
    ),
    ("curator", "Curator Demo (fiktiv)", "curator", "", "SE", "sv, en", EVERYWHERE),
    ("artist", "Konstnären K. (fiktiv demoröst)", "artist", "", "NO", "no, en", EVERYWHERE),
    (
        "restitution",
        "Kwame D. (fiktiv demoröst)",
        "researcher",
        "Exempelarkivet (fiktivt)",
        "GH",
        "en",
        EVERYWHERE,
    ),
    (
        "relative",
        "Anhörig R. (fiktiv demoröst)",
        "relative",
        "",
        "SE",
        "sv",
        {**EVERYWHERE, "expires_on": datetime.date(2026, 6, 30)},
    ),
    ("withdrawn", "Tidigare röst (fiktiv demoröst)", "survivor", "", "SE", "sv", EVERYWHERE),
]

TESTIMONIES = [
    {
        "slug": "demo-amal-att-bli-trodd",
        "voice": "amal",
        "notes": ["coercion", "violence"],
        "age": 15,
        "sv": (
            "Att bli trodd (fiktivt demovittnesmål)",
            "<p>Det här är ett påhittat vittnesmål, skrivet för att visa hur plattformen fungerar. "
            "Ingen verklig person har berättat det.</p><p>Rösten berättar om att ha lovats ett "
            "arbete, om skulden som aldrig blev mindre och om den dag en socialsekreterare "
            "lyssnade utan att avbryta.</p>",
            "En påhittad berättelse om att bli lurad med ett jobb och om att till slut få hjälp.",
        ),
        "en": (
            "Being believed (fictional demo testimony)",
            "<p>This is an invented testimony, written to show how the platform works. No real "
            "person told it.</p><p>The voice speaks of a promised job, a debt that never "
            "shrank, and the day a social worker listened without interrupting.</p>",
            "An invented story about being tricked with a job offer, and finally getting help.",
        ),
    },
    {
        "slug": "demo-jonas-razzian",
        "voice": "jonas",
        "notes": [],
        "age": 12,
        "sv": (
            "Razzian (fiktivt demovittnesmål)",
            "<p>Påhittad text för demonstration. En polis berättar om en insats där de som "
            "utnyttjades behandlades som misstänkta, och om vad han gör annorlunda i dag.</p>",
            "En påhittad polis berättar om en insats och vad han lärde sig.",
        ),
        "en": None,
    },
    {
        "slug": "demo-mira-bara-i-utstallningen",
        "voice": "mira",
        "notes": ["sexual_violence"],
        "age": 18,
        "sv": (
            "Bara i utställningen (fiktivt demovittnesmål)",
            "<p>Påhittad text. Den här rösten har bara samtyckt till att visas i den fysiska "
            "utställningen i Sverige, inte på webben.</p>",
            "",
        ),
        "en": None,
    },
    {
        "slug": "demo-anhorig-utgangen",
        "voice": "relative",
        "notes": [],
        "age": 15,
        "sv": (
            "Samtycket har gått ut (fiktivt demovittnesmål)",
            "<p>Påhittad text. Samtycket för den här rösten har gått ut, så den visas ingenstans.</p>",
            "",
        ),
        "en": None,
    },
    {
        "slug": "demo-tidigare-rost",
        "voice": "withdrawn",
        "notes": [],
        "age": 15,
        "sv": (
            "Återkallat (fiktivt demovittnesmål)",
            "<p>Påhittad text. Rösten har återkallat sitt samtycke; inget av detta visas.</p>",
            "",
        ),
        "en": None,
    },
]

PERSPECTIVES = [
    {
        "slug": "demo-razzior",
        "sv": ("Hjälper razzior människor som utnyttjas?", "Fiktiva röster, verklig oenighet."),
        "en": ("Do raids help people who are exploited?", "Fictional voices, a real disagreement."),
        "positions": [
            (
                "jonas",
                "opens",
                None,
                "Utan insatser hittar vi dem aldrig. Men vi måste möta dem som brottsoffer, inte som "
                "misstänkta.",
            ),
            (
                "ngo",
                "contests",
                "jonas",
                "En razzia utan stöd efteråt skrämmer människor bort från all hjälp. Förtroende "
                "byggs inte med dörrar som sparkas in.",
            ),
            (
                "lina",
                "nuances",
                "ngo",
                "Båda har rätt: det avgörande är vad som händer dagen efter, och om någon finns kvar "
                "att ringa.",
            ),
        ],
    },
    {
        "slug": "demo-aterlamning",
        "sv": (
            "Ska föremål som tagits under kolonialtiden lämnas tillbaka?",
            "Om handeln med människor och med föremål: fiktiva röster, verklig oenighet.",
        ),
        "en": (
            "Should objects taken in colonial times be returned?",
            "On the trade in people and in objects: fictional voices, a real disagreement.",
        ),
        "positions": [
            (
                "restitution",
                "opens",
                None,
                "Föremålen togs utan samtycke. Att lämna tillbaka dem är inte en gåva utan ett "
                "erkännande.",
            ),
            (
                "curator",
                "nuances",
                "restitution",
                "Ja, men till vem? Ibland finns flera som gör anspråk, och samtalet måste få ta tid.",
            ),
            (
                "researcher",
                "contests",
                "curator",
                "Att vänta på det perfekta svaret blir ett sätt att aldrig svara. Proveniensen är "
                "ofta tydligare än museer medger.",
            ),
        ],
    },
]

SUPPORT = [
    # Verified, international numbers only; the museum adds its own verified help lines.
    {
        "name": "112 – nödnummer",
        "kind": "emergency",
        "country": "",
        "phone": "112",
        "service_languages": "sv, en",
        "description": "Vid akut fara: ring 112. Numret fungerar i hela EU.",
        "sort_order": 0,
    },
    {
        "name": "Exempelstödlinjen (fiktiv demoorganisation)",
        "kind": "helpline",
        "country": "SE",
        "phone": "",
        "url": "https://stod.example.invalid/",
        "service_languages": "sv, en, ar",
        "description": "Fiktiv demoorganisation: museet ersätter den med verifierade stödlinjer.",
        "sort_order": 1,
    },
]


def load(log) -> None:
    with transaction.atomic():
        voices = _voices()
        _testimonies(voices)
        _perspectives(voices)
        _support()
        _pin_voices_to_an_object()
        _withdraw_and_expire(voices)
    _record_demo_audio(log)
    log(
        f"stories: {len(voices)} fictional voices, {len(TESTIMONIES)} testimonies, "
        f"{len(PERSPECTIVES)} perspectives"
    )


def _voices() -> dict:
    voices = {}
    for key, name, role, organisation, country, languages, scope in VOICES:
        voice, created = Voice.objects.get_or_create(
            display_name=name,
            defaults={
                "role": role,
                "organisation": organisation,
                "country": country,
                "language_codes": languages,
                "is_fictional_demo": True,
            },
        )
        if created or not voice.consents.exists():
            Consent.grant(voice=voice, scope=ConsentScope.parse(**scope), by=None, basis=BASIS)
        voices[key] = voice
    return voices


def _testimonies(voices) -> None:
    locales = {code: Locale.objects.get(language_code=code) for code in ("sv", "en")}
    theme, _ = Theme.objects.get_or_create(
        slug="demo-trust", locale=locales["sv"], defaults={"name": "Förtroende"}
    )
    for spec in TESTIMONIES:
        if Testimony.objects.filter(slug=spec["slug"]).exists():
            continue
        testimony = Testimony(
            slug=spec["slug"],
            voice=voices[spec["voice"]],
            content_notes=spec["notes"],
            minimum_age=spec["age"],
            live=True,
        )
        for code in ("sv", "en"):
            if spec.get(code):
                title, body, easy = spec[code]
                testimony.texts.add(
                    TestimonyText(
                        locale=locales[code], title=title, body=body, easy_read_summary=easy
                    )
                )
        testimony.save()
        testimony.themes.add(theme)
        testimony.save_revision().publish()


def _perspectives(voices) -> None:
    locales = {code: Locale.objects.get(language_code=code) for code in ("sv", "en")}
    for spec in PERSPECTIVES:
        if Perspective.objects.filter(slug=spec["slug"]).exists():
            continue
        perspective = Perspective(slug=spec["slug"], live=True)
        for code in ("sv", "en"):
            question, introduction = spec[code]
            perspective.texts.add(
                PerspectiveText(locale=locales[code], question=question, introduction=introduction)
            )
        for order, (key, stance, responds_to, statement) in enumerate(spec["positions"]):
            perspective.positions.add(
                Position(
                    voice=voices[key],
                    locale=locales["sv"],
                    statement=statement,
                    stance=stance,
                    responds_to=voices[responds_to] if responds_to else None,
                    sort_order=order,
                )
            )
        perspective.full_clean()
        perspective.save()
        perspective.save_revision().publish()


def _support() -> None:
    sv = Locale.objects.get(language_code="sv")
    for spec in SUPPORT:
        SupportResource.objects.get_or_create(name=spec["name"], locale=sv, defaults=spec)


# Two voices pinned to regions of one object image, so a IIIF viewer shows several voices on
# one object (annotations in the object's manifest). Regions are in the demo image's pixels.
PINS = [
    (
        "demo-amal-att-bli-trodd",
        "200,150,600,450",
        "Fiktiv demotext: Föremålet påminner mig om resan, om allt vi fick lämna.",
    ),
    (
        "demo-jonas-razzian",
        "900,500,500,400",
        "Fiktiv demotext: Sådana föremål hittade vi i beslag, utan papper om var de kom ifrån.",
    ),
]


def _pin_voices_to_an_object() -> None:
    from collection.models import ObjectImage
    from stories.models import TestimonyObject
    from visibility.channels import WEB

    object_image = (
        ObjectImage.objects.visible_in(WEB)
        .filter(image__max_online_size__isnull=True)
        .select_related("object")
        .order_by("object__inventory_number", "pk")
        .first()
    )
    if object_image is None:
        return
    for order, (slug, region, excerpt) in enumerate(PINS):
        testimony = Testimony.objects.filter(slug=slug).first()
        if testimony is None:
            continue
        TestimonyObject.objects.get_or_create(
            testimony=testimony,
            object=object_image.object,
            defaults={
                "object_image": object_image,
                "region": region,
                "excerpt": excerpt,
                "sort_order": order,
            },
        )


# Spoken by a speech synthesiser (stories/demo/audio.py), which first says it is a fictional
# demo; one cue per sentence, a Swedish caption track and English subtitles with the same
# timings, and two segments per language.
SPOKEN_SLUG = "demo-amal-att-bli-trodd"
SPOKEN_SV = [
    "Jag lovades ett arbete i ett annat land.",
    "Skulden för resan blev aldrig mindre, hur mycket jag än arbetade.",
    "En dag lyssnade en socialsekreterare på mig utan att avbryta.",
    "Det var första gången någon trodde på mig.",
]
SPOKEN_EN = [
    "I was promised a job in another country.",
    "The debt for the journey never got smaller, however much I worked.",
    "One day a social worker listened to me without interrupting.",
    "It was the first time anyone believed me.",
]
SEGMENTS = {
    "sv": [
        ("Löftet och skulden", "löfte, arbete, skuld", 1, 2),
        ("Att bli trodd", "hjälp, tillit", 3, 4),
    ],
    "en": [
        ("The promise and the debt", "promise, job, debt", 1, 2),
        ("Being believed", "help, trust", 3, 4),
    ],
}


def _record_demo_audio(log) -> None:
    from stories.demo.audio import DemoAudioUnavailable, make_demo_recording
    from stories.models import MediaTrack, Segment

    testimony = Testimony.objects.filter(slug=SPOKEN_SLUG).first()
    if testimony is None or testimony.media_file:
        return
    try:
        recording = make_demo_recording(SPOKEN_SV, "sv")
    except DemoAudioUnavailable as error:
        log(f"stories: no demo recording ({error}); install espeak-ng and lame")
        return
    locales = {code: Locale.objects.get(language_code=code) for code in ("sv", "en")}
    with transaction.atomic():
        testimony.media_kind = Testimony.MediaKind.AUDIO
        testimony.duration_seconds = recording.duration
        testimony.media_file.save(recording.file.name, recording.file, save=False)
        testimony.save(update_fields=["media_kind", "duration_seconds", "media_file"])
        MediaTrack.objects.create(
            testimony=testimony, locale=locales["sv"], kind="captions", webvtt=recording.webvtt()
        )
        MediaTrack.objects.create(
            testimony=testimony,
            locale=locales["en"],
            kind="subtitles",
            webvtt=recording.webvtt_for("en", SPOKEN_EN),
        )
        cues = recording.cues
        for code, segments in SEGMENTS.items():
            for order, (title, keywords, first, last) in enumerate(segments):
                Segment.objects.create(
                    testimony=testimony,
                    locale=locales[code],
                    start_seconds=cues[first].start,
                    end_seconds=cues[last].end,
                    title=title,
                    keywords=keywords,
                    sort_order=order,
                )
    log(f"stories: demo recording of {recording.duration:.1f} s with tracks in sv and en")


def _withdraw_and_expire(voices) -> None:
    consent = voices["withdrawn"].consents.filter(withdrawn_at__isnull=True).first()
    if consent is not None:
        consent.withdraw(by=None, basis=BASIS + " Demonstrates a withdrawal.")
    for consent in voices["relative"].consents.filter(withdrawn_at__isnull=True):
        consent.record_expiry(datetime.date.today())
