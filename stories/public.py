"""What the public may see of voices (and, further down, testimonies and perspectives).

Public pages, the JSON API, search documents and packages never get a model instance: they
get these frozen dataclasses, built from rows selected with ``visible_in(channel)``, holding
only the fields listed here. A voice's identity, consent, contacts and internal flags are not
among them; the portrait appears only while the consent covers it on that channel.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation

from collection.models import ObjectRecord
from collection.public import PublicObjectCard, to_card, web_object_cards
from stories.models import (
    Consent,
    MediaTrack,
    SupportResource,
    Testimony,
    TestimonyText,
    Theme,
    Voice,
)
from stories.recordings import content_type_for
from stories.webvtt import parse_cues
from visibility.channels import WEB, Channel


@dataclass(frozen=True)
class PublicVoice:
    pk: int
    display_name: str
    role: str  # the translated role label
    role_key: str
    organisation: str
    country: str
    languages: tuple[str, ...]
    portrait_id: int | None
    is_fictional_demo: bool


def visible_voices(channel: Channel = WEB, on: datetime.date | None = None):
    """Voices visible on ``channel``, annotated with whether their portrait may be shown."""
    on = on or channel.today()
    portrait_consent = Consent.objects.filter(
        voice=OuterRef("pk"), testimony__isnull=True, portrait=True
    ).filter(Consent.covers_q(channel, on))
    return Voice.objects.visible_in(channel, on=on).annotate(
        portrait_allowed=Exists(portrait_consent)
    )


def to_public_voice(voice: Voice) -> PublicVoice:
    """The public view of ``voice``, which must come from :func:`visible_voices`."""
    portrait_allowed = getattr(voice, "portrait_allowed", False)
    return PublicVoice(
        pk=voice.pk,
        display_name=voice.display_name,
        role=str(voice.get_role_display()),
        role_key=voice.role,
        organisation=voice.organisation,
        country=voice.country,
        languages=tuple(voice.languages),
        portrait_id=voice.portrait_id if portrait_allowed else None,
        is_fictional_demo=voice.is_fictional_demo,
    )


# --- testimonies ------------------------------------------------------------------------------
# A testimony is shown only in the languages its consents allow: the voice-wide consents that
# cover the channel (any one of them is enough, so their languages add up) narrowed by every
# consent recorded for the testimony alone (each must hold, so they intersect). A consent with
# no languages allows any. ``None`` below means "any language".


def format_start(seconds: float) -> str:
    """Seconds as the value of a ``t`` parameter or a media fragment: ``12``, ``12.5``."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def testimony_moment_url(slug: str, seconds: float | None = None) -> str:
    """The testimony page, opening its recording at ``seconds`` (e.g. for a search hit
    inside a transcript). Check visibility before linking, as for any public URL."""
    url = reverse("stories:testimony", kwargs={"slug": slug})
    if seconds is not None and seconds > 0:
        url += f"?t={format_start(seconds)}"
    return url


def language_allowed(code: str, allowed: frozenset[str] | None) -> bool:
    """Whether a text in ``code`` may be shown, by BCP 47 basic filtering (RFC 4647): an
    allowed ``en`` admits ``en`` and ``en-GB``; an allowed ``en-GB`` does not admit ``en``."""
    if allowed is None:
        return True
    code = code.lower()
    return any(code == a or code.startswith(a + "-") for a in allowed)


def _languages_of(consent: Consent) -> frozenset[str] | None:
    codes = frozenset(code.lower() for code in consent.allowed_languages)
    return codes or None


def allowed_languages(testimony: Testimony) -> frozenset[str] | None:
    """The languages ``testimony`` may be shown in (from :func:`web_testimonies`)."""
    voice_part: frozenset[str] | None = frozenset()
    for consent in testimony.voice.covering_consents:
        codes = _languages_of(consent)
        if codes is None:
            voice_part = None
            break
        voice_part |= codes
    allowed = voice_part
    for consent in testimony.consents.all():
        codes = _languages_of(consent)
        if codes is not None:
            allowed = codes if allowed is None else allowed & codes
    return allowed


def web_testimonies(
    queryset: QuerySet[Testimony] | None = None,
    channel: Channel = WEB,
    on: datetime.date | None = None,
) -> QuerySet[Testimony]:
    """Testimonies visible on ``channel`` whose voice is visible too, with what
    :func:`to_public_testimony` and :func:`to_testimony_card` read prefetched."""
    on = on or channel.today()
    queryset = Testimony.objects.all() if queryset is None else queryset
    return (
        queryset.visible_in(channel, on=on)
        .filter(voice__in=visible_voices(channel, on=on).values("pk"))
        .prefetch_related(
            Prefetch(
                "voice__consents",
                queryset=Consent.objects.filter(testimony__isnull=True).filter(
                    Consent.covers_q(channel, on)
                ),
                to_attr="covering_consents",
            ),
            "consents",
            Prefetch("texts", queryset=TestimonyText.objects.select_related("locale")),
            Prefetch("themes", queryset=Theme.objects.select_related("locale")),
        )
    )


def _preference(language: str) -> list[str]:
    """Languages in the order a visitor reading ``language`` would want them."""
    order = [language, settings.LANGUAGE_CODE, *(code for code, _name in settings.LANGUAGES)]
    return list(dict.fromkeys(code.lower() for code in order))


def _best(items, code_of, language: str):
    """The item whose language comes first in the visitor's preference (else the first by
    language code), or None."""
    preference = _preference(language)

    def rank(item):
        code = code_of(item).lower()
        return (preference.index(code) if code in preference else len(preference), code)

    return min(items, key=rank, default=None)


def language_name(code: str) -> str:
    """The language's name in the current language, or its code when Django does not know it."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass(frozen=True)
class PublicTestimonyText:
    language: str
    language_name: str
    title: str
    body: str  # Wagtail rich text (a template renders it with |richtext)
    easy_read_summary: str


@dataclass(frozen=True)
class PublicTrack:
    language: str
    language_name: str
    kind: str
    url: str


@dataclass(frozen=True)
class PublicCue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class PublicSegment:
    start: float
    end: float
    title: str
    summary: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class PublicLinkedObject:
    object: PublicObjectCard
    excerpt: str


@dataclass(frozen=True)
class PublicTestimonyCard:
    """What a listing shows of a testimony."""

    slug: str
    url: str
    title: str
    language: str
    voice: PublicVoice
    content_notes: tuple[str, ...]
    has_recording: bool
    themes: tuple[str, ...]


@dataclass(frozen=True)
class PublicTestimony:
    """A testimony as a web page shows it, in one language its consents allow."""

    pk: int
    slug: str
    url: str
    voice: PublicVoice
    text: PublicTestimonyText
    requested_language: str
    # Other languages (code, name) that a site visitor can switch to for this testimony.
    other_languages: tuple[tuple[str, str], ...]
    themes: tuple[str, ...]
    content_notes: tuple[str, ...]
    minimum_age: int
    minimum_age_label: str
    pull_quotes: tuple[str, ...]
    media_kind: str  # "", "audio" or "video"
    media_url: str
    media_type: str
    duration: float | None
    tracks: tuple[PublicTrack, ...]
    transcript: tuple[PublicCue, ...]
    transcript_language: str
    segments: tuple[PublicSegment, ...]
    segments_language: str
    objects: tuple[PublicLinkedObject, ...]

    @property
    def is_fallback(self) -> bool:
        """Shown in another language than the visitor's, which the page says."""
        return self.text.language.lower() != self.requested_language.lower()

    @property
    def default_track(self) -> PublicTrack | None:
        return next(
            (
                t
                for t in self.tracks
                if t.language == self.transcript_language and t.kind != "descriptions"
            ),
            None,
        )


def _choose_text(testimony: Testimony, allowed, language: str) -> TestimonyText | None:
    texts = [
        text
        for text in testimony.texts.all()
        if language_allowed(text.locale.language_code, allowed)
    ]
    return _best(texts, lambda text: text.locale.language_code, language)


def has_allowed_text(testimony: Testimony) -> bool:
    """Whether ``testimony`` (from :func:`web_testimonies`) has a text it may be shown in."""
    allowed = allowed_languages(testimony)
    return any(language_allowed(t.locale.language_code, allowed) for t in testimony.texts.all())


def _theme_names(testimony: Testimony, language: str) -> tuple[str, ...]:
    themes = list(testimony.themes.all())
    if not themes:
        return ()
    translated = {
        theme.translation_key: theme.name
        for theme in Theme.objects.filter(
            translation_key__in=[t.translation_key for t in themes],
            locale__language_code=language,
        )
    }
    return tuple(translated.get(theme.translation_key, theme.name) for theme in themes)


def to_testimony_card(testimony: Testimony, voice: PublicVoice, language: str):
    """The listing view of ``testimony`` (from :func:`web_testimonies`), or None when no text
    is in a language its consents allow."""
    allowed = allowed_languages(testimony)
    text = _choose_text(testimony, allowed, language)
    if text is None:
        return None
    return PublicTestimonyCard(
        slug=testimony.slug,
        url=reverse("stories:testimony", kwargs={"slug": testimony.slug}),
        title=text.title,
        language=text.locale.language_code,
        voice=voice,
        content_notes=tuple(testimony.get_content_notes_display()),
        has_recording=bool(testimony.media_kind and testimony.media_file),
        themes=_theme_names(testimony, language),
    )


def to_public_testimony(
    testimony: Testimony, voice: PublicVoice, language: str
) -> PublicTestimony | None:
    """The page view of ``testimony`` (from :func:`web_testimonies`) for a visitor reading
    ``language``; None when no text is in a language its consents allow."""
    allowed = allowed_languages(testimony)
    text = _choose_text(testimony, allowed, language)
    if text is None:
        return None
    text_language = text.locale.language_code
    site_languages = {code.lower() for code, _name in settings.LANGUAGES}
    other_languages = tuple(
        sorted(
            {
                (t.locale.language_code, language_name(t.locale.language_code))
                for t in testimony.texts.all()
                if t.locale.language_code.lower() in site_languages
                and t.locale.language_code != text_language
                and language_allowed(t.locale.language_code, allowed)
            }
        )
    )

    def allowed_rows(related):
        return [
            row
            for row in related.select_related("locale")
            if language_allowed(row.locale.language_code, allowed)
        ]

    quotes = [q for q in allowed_rows(testimony.pull_quotes) if q.locale_id == text.locale_id]

    tracks, transcript, transcript_language = [], (), ""
    has_recording = bool(testimony.media_kind and testimony.media_file)
    if has_recording:
        track_rows = allowed_rows(testimony.tracks)
        tracks = [
            PublicTrack(
                language=row.locale.language_code,
                language_name=language_name(row.locale.language_code),
                kind=row.kind,
                url=reverse(
                    "stories:testimony_track",
                    kwargs={
                        "slug": testimony.slug,
                        "language": row.locale.language_code,
                        "kind": row.kind,
                    },
                ),
            )
            for row in track_rows
        ]
        readable = [row for row in track_rows if row.kind != MediaTrack.Kind.DESCRIPTIONS]
        best = _best(readable, lambda row: row.locale.language_code, text_language)
        if best is not None:
            try:
                transcript = tuple(
                    PublicCue(c.start, c.end, c.text) for c in parse_cues(best.webvtt)
                )
                transcript_language = best.locale.language_code
            except ValidationError:
                # Saved before validation existed, or edited around it: no transcript is
                # better than a broken page; the track itself is refused the same way.
                transcript = ()

    segment_rows = allowed_rows(testimony.segments) if has_recording else []
    segments_language = ""
    if segment_rows:
        first = _best(segment_rows, lambda row: row.locale.language_code, text_language)
        segments_language = first.locale.language_code
        segment_rows = [row for row in segment_rows if row.locale_id == first.locale_id]

    return PublicTestimony(
        pk=testimony.pk,
        slug=testimony.slug,
        url=reverse("stories:testimony", kwargs={"slug": testimony.slug}),
        voice=voice,
        text=PublicTestimonyText(
            language=text_language,
            language_name=language_name(text_language),
            title=text.title,
            body=text.body,
            easy_read_summary=text.easy_read_summary,
        ),
        requested_language=language,
        other_languages=other_languages,
        themes=_theme_names(testimony, language),
        content_notes=tuple(testimony.get_content_notes_display()),
        minimum_age=testimony.minimum_age,
        minimum_age_label=str(testimony.get_minimum_age_display()),
        pull_quotes=tuple(q.text for q in quotes),
        media_kind=testimony.media_kind if has_recording else "",
        media_url=reverse("stories:testimony_recording", kwargs={"slug": testimony.slug})
        if has_recording
        else "",
        media_type=content_type_for(testimony.media_file.name, testimony.media_kind)
        if has_recording
        else "",
        duration=testimony.duration_seconds,
        tracks=tuple(tracks),
        transcript=transcript,
        transcript_language=transcript_language,
        segments=tuple(
            PublicSegment(
                start=row.start_seconds,
                end=row.end_seconds,
                title=row.title,
                summary=row.summary,
                keywords=tuple(k.strip() for k in row.keywords.split(",") if k.strip()),
            )
            for row in sorted(
                segment_rows, key=lambda row: (row.start_seconds, row.sort_order or 0)
            )
        ),
        segments_language=segments_language,
        objects=_linked_objects(testimony, allowed),
    )


def _linked_objects(testimony: Testimony, allowed) -> tuple[PublicLinkedObject, ...]:
    """Objects the testimony speaks about that the web may show; the others are left out
    entirely (an unpublished object's title is not public either)."""
    links = list(testimony.object_links.all())
    if not links:
        return ()
    cards = {
        obj.pk: to_card(obj)
        for obj in web_object_cards(
            ObjectRecord.objects.filter(pk__in=[link.object_id for link in links])
        )
    }
    return tuple(
        PublicLinkedObject(
            object=cards[link.object_id],
            # The excerpt has no language of its own: under a consent that limits the
            # languages it could be in one the voice did not allow, so it is left out.
            excerpt=link.excerpt if allowed is None else "",
        )
        for link in links
        if link.object_id in cards
    )


# --- support information ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicSupportResource:
    name: str
    kind: str
    kind_label: str
    country: str
    language: str  # the language this entry is written in
    service_languages: tuple[str, ...]
    phone: str
    phone_href: str
    url: str
    hours: str
    description: str
    serves_visitor_language: bool

    @property
    def service_language_names(self) -> list[str]:
        return [language_name(code) for code in self.service_languages]


def web_support_resources(language: str, channel: Channel = WEB) -> list[PublicSupportResource]:
    """Active support resources, each in the visitor's language where translated; those that
    answer in the visitor's language first, then in the editors' order."""
    rows = SupportResource.objects.visible_in(channel).select_related("locale")
    by_key: dict = {}
    for row in rows:
        by_key.setdefault(row.translation_key, []).append(row)
    chosen = [
        _best(group, lambda row: row.locale.language_code, language) for group in by_key.values()
    ]
    ranked = []
    for row in chosen:
        service_languages = tuple(
            code.strip() for code in row.service_languages.split(",") if code.strip()
        )
        serves = any(
            language_allowed(language, frozenset({code.lower()}))
            or language_allowed(code, frozenset({language.lower()}))
            for code in service_languages
        )
        phone_digits = re.sub(r"[^\d+]", "", row.phone)
        resource = PublicSupportResource(
            name=row.name,
            kind=row.kind,
            kind_label=str(row.get_kind_display()),
            country=row.country,
            language=row.locale.language_code,
            service_languages=service_languages,
            phone=row.phone,
            phone_href=f"tel:{phone_digits}" if phone_digits else "",
            url=row.url if row.url.lower().startswith(("https://", "http://")) else "",
            hours=row.hours,
            description=row.description,
            serves_visitor_language=serves,
        )
        # Emergency numbers first, then help in the visitor's language, then editors' order.
        rank = (row.kind != SupportResource.Kind.EMERGENCY, not serves, row.sort_order, row.name)
        ranked.append((rank, resource))
    return [resource for _rank, resource in sorted(ranked, key=lambda pair: pair[0])]
