"""What search may know of stories: testimonies, moments in recordings, and perspectives.

Built only from what ``visible_in(channel)`` selects (testimonies through
:func:`stories.public.web_testimonies`, which also requires the voice to be visible), in the
languages consent allows, with an explicit allow-list of fields: titles, texts, the voice's
display name and role, themes. Nothing from a voice's identity or consent is indexed.

Testimonies behind a content note are indexed by title, easy-to-read summary, voice and themes
only: a search snippet must not show what the page keeps behind its content-note gate. Each
segment of a recording is its own document ("moment"), whose link opens the recording at that
moment (``?t=seconds``).

Withdrawal reaches the index at once: a consent event, a change of a testimony, its texts,
tracks or segments, or of a perspective re-asks this source for the affected documents, and
what it no longer yields is removed. Expiry takes effect when ``manage.py expire_consents``
records it (run it daily).
"""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from search.documents import SearchDocument
from search.registry import SearchSource
from stories.models import (
    Consent,
    ConsentEvent,
    MediaTrack,
    Perspective,
    PerspectiveText,
    Position,
    PullQuote,
    Segment,
    Testimony,
    TestimonyText,
    Voice,
)
from stories.public import allowed_languages, language_allowed, visible_voices, web_testimonies
from stories.webvtt import parse_cues
from visibility.channels import Channel


def _plain(value: str) -> str:
    return " ".join(strip_tags(value or "").split())


def _ints(pks: Iterable | None) -> list[int] | None:
    if pks is None:
        return None
    return [int(pk) for pk in pks if str(pk).isdigit()]


def _urls(name: str, *args) -> dict[str, str]:
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls[code] = reverse(name, args=args)
    return urls


def _role(voice: Voice) -> str:
    with translation.override("en"):
        return str(voice.get_role_display())


def _cues(testimony: Testimony, code: str) -> list:
    for track in testimony.tracks.all():
        if track.locale.language_code == code:
            try:
                return parse_cues(track.webvtt)
            except Exception:  # noqa: BLE001 (a broken track is left out, not fatal)
                return []
    return []


def _testimonies(channel: Channel, pks):
    queryset = web_testimonies(channel=channel)
    if pks is not None:
        queryset = queryset.filter(pk__in=pks)
    return queryset.select_related("voice").prefetch_related(
        "pull_quotes__locale", "segments__locale", "tracks__locale"
    )


def _testimonies_of_voice(voice_id) -> list[int]:
    return list(Testimony.objects.filter(voice_id=voice_id).values_list("pk", flat=True))


class TestimonySearch(SearchSource):
    kind = "testimony"
    label = _("Testimony")

    def documents(self, channel: Channel, pks: Iterable | None = None) -> Iterator[SearchDocument]:
        for testimony in _testimonies(channel, _ints(pks)).order_by("pk"):
            document = self.document(testimony)
            if document is not None:
                yield document

    def document(self, testimony: Testimony) -> SearchDocument | None:
        allowed = allowed_languages(testimony)
        texts = {
            t.locale.language_code: t
            for t in testimony.texts.all()
            if language_allowed(t.locale.language_code, allowed)
        }
        if not texts:
            return None
        gated = bool(testimony.content_notes)
        bodies = {}
        for code, text in texts.items():
            parts = [text.easy_read_summary]
            if not gated:
                parts.append(_plain(text.body))
                parts += [
                    q.text for q in testimony.pull_quotes.all() if q.locale.language_code == code
                ]
                parts += [cue.text for cue in _cues(testimony, code)]
            bodies[code] = " ".join(p for p in parts if p)
        voice = testimony.voice
        return SearchDocument(
            kind=self.kind,
            pk=str(testimony.pk),
            titles={code: text.title for code, text in texts.items()},
            urls=_urls("stories:testimony", testimony.slug),
            texts=bodies,
            keywords=[voice.display_name],
            facets={
                "voice_role": [_role(voice)],
                "theme": [theme.name for theme in testimony.themes.all()],
            },
            meta=f"{voice.display_name} · {_role(voice)}",
        )

    def dependencies(self):
        return {
            Testimony: lambda t: [t.pk],
            TestimonyText: lambda t: [t.testimony_id],
            PullQuote: lambda q: [q.testimony_id],
            MediaTrack: lambda t: [t.testimony_id],
            Segment: lambda s: [s.testimony_id],
            Voice: lambda v: _testimonies_of_voice(v.pk),
            Consent: lambda c: (
                [c.testimony_id] if c.testimony_id else _testimonies_of_voice(c.voice_id)
            ),
            ConsentEvent: lambda e: (
                [e.consent.testimony_id]
                if e.consent.testimony_id
                else _testimonies_of_voice(e.consent.voice_id)
            ),
        }


def _segment_pks(testimony_ids) -> list[int]:
    return list(Segment.objects.filter(testimony_id__in=testimony_ids).values_list("pk", flat=True))


class MomentSearch(SearchSource):
    """Each segment of a recording: a hit opens the recording at that moment."""

    kind = "moment"
    label = _("Moment in a recording")

    def documents(self, channel: Channel, pks: Iterable | None = None) -> Iterator[SearchDocument]:
        wanted = _ints(pks)
        testimony_ids = None
        if wanted is not None:
            testimony_ids = list(
                Segment.objects.filter(pk__in=wanted).values_list("testimony_id", flat=True)
            )
        for testimony in _testimonies(channel, testimony_ids).exclude(media_file="").order_by("pk"):
            allowed = allowed_languages(testimony)
            gated = bool(testimony.content_notes)
            titles = {t.locale.language_code: t.title for t in testimony.texts.all()}
            for segment in testimony.segments.all():
                code = segment.locale.language_code
                if (wanted is not None and segment.pk not in wanted) or not language_allowed(
                    code, allowed
                ):
                    continue
                said = ""
                if not gated:
                    said = " ".join(
                        cue.text
                        for cue in _cues(testimony, code)
                        if cue.end > segment.start_seconds and cue.start < segment.end_seconds
                    )
                start = int(segment.start_seconds)
                urls = {
                    lang: f"{url}?t={start}"
                    for lang, url in _urls("stories:testimony", testimony.slug).items()
                }
                minutes, seconds = divmod(start, 60)
                yield SearchDocument(
                    kind=self.kind,
                    pk=str(segment.pk),
                    titles={code: segment.title},
                    urls=urls,
                    texts={code: " ".join(p for p in (segment.summary, said) if p)},
                    keywords=[k.strip() for k in segment.keywords.split(",") if k.strip()]
                    + [testimony.voice.display_name],
                    facets={"voice_role": [_role(testimony.voice)]},
                    meta=f"{titles.get(code) or next(iter(titles.values()), '')} · {minutes}:{seconds:02d}",
                )

    def dependencies(self):
        return {
            Segment: lambda s: [s.pk],
            Testimony: lambda t: _segment_pks([t.pk]),
            MediaTrack: lambda t: _segment_pks([t.testimony_id]),
            Consent: lambda c: _segment_pks(
                [c.testimony_id] if c.testimony_id else _testimonies_of_voice(c.voice_id)
            ),
            ConsentEvent: lambda e: _segment_pks(
                [e.consent.testimony_id]
                if e.consent.testimony_id
                else _testimonies_of_voice(e.consent.voice_id)
            ),
        }


def _perspectives_of_voice(voice_id) -> list[int]:
    return list(
        Position.objects.filter(voice_id=voice_id)
        .values_list("perspective_id", flat=True)
        .distinct()
    )


class PerspectiveSearch(SearchSource):
    kind = "perspective"
    label = _("Perspective")

    def documents(self, channel: Channel, pks: Iterable | None = None) -> Iterator[SearchDocument]:
        queryset = Perspective.objects.visible_in(channel).prefetch_related(
            "texts__locale", "positions__locale", "themes"
        )
        wanted = _ints(pks)
        if wanted is not None:
            queryset = queryset.filter(pk__in=wanted)
        for perspective in queryset.order_by("pk"):
            voices = {
                v.pk: v
                for v in visible_voices(channel)
                .filter(positions__perspective=perspective)
                .distinct()
            }
            texts = {t.locale.language_code: t for t in perspective.texts.all()}
            bodies = {code: [text.introduction] for code, text in texts.items()}
            for position in perspective.positions.all():
                if position.voice_id in voices:
                    bodies.setdefault(position.locale.language_code, []).append(position.statement)
            yield SearchDocument(
                kind=self.kind,
                pk=str(perspective.pk),
                titles={code: text.question for code, text in texts.items()},
                urls=_urls("stories:perspective", perspective.slug),
                texts={code: " ".join(p for p in parts if p) for code, parts in bodies.items()},
                keywords=[v.display_name for v in voices.values()],
                facets={
                    "voice_role": sorted({_role(v) for v in voices.values()}),
                    "theme": [theme.name for theme in perspective.themes.all()],
                },
                meta=", ".join(v.display_name for v in voices.values()),
            )

    def dependencies(self):
        return {
            Perspective: lambda p: [p.pk],
            PerspectiveText: lambda t: [t.perspective_id],
            Position: lambda p: [p.perspective_id],
            Voice: lambda v: _perspectives_of_voice(v.pk),
            Consent: lambda c: _perspectives_of_voice(c.voice_id),
            ConsentEvent: lambda e: _perspectives_of_voice(e.consent.voice_id),
        }


SOURCES = (TestimonySearch, MomentSearch, PerspectiveSearch)
