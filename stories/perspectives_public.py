"""The public view of perspectives: a question and the positions of several visible voices.

Built only from ``Perspective.objects.visible_in(channel)`` and voices from
:func:`stories.public.visible_voices`; a position of a voice that is not visible on the
channel is left out, and so is a "responds to" naming such a voice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation

from stories.models import Perspective, Testimony
from stories.public import PublicVoice, to_public_voice, visible_voices
from visibility.channels import WEB, Channel


@dataclass(frozen=True)
class PublicPosition:
    voice: PublicVoice
    statement: str
    language: str
    stance: str
    stance_label: str
    responds_to: str  # display name of the voice answered, if visible
    testimony_url: str


@dataclass(frozen=True)
class PublicPerspective:
    slug: str
    url: str
    question: str
    introduction: str
    language: str
    positions: list[PublicPosition]


def _pick(rows, language: str, key=lambda row: row.locale.language_code):
    """The row in ``language``, else in the site's default language, else the first."""
    by_language = {key(row): row for row in rows}
    for code in (language, "sv", "en"):
        if code in by_language:
            return by_language[code]
    return rows[0] if rows else None


def visible_perspectives(channel: Channel = WEB):
    return (
        Perspective.objects.visible_in(channel)
        .prefetch_related("texts__locale", "positions__locale")
        .order_by("-created_at", "pk")
    )


def to_public_perspective(perspective: Perspective, channel: Channel = WEB) -> PublicPerspective:
    language = translation.get_language() or "sv"
    voices = {
        voice.pk: to_public_voice(voice)
        for voice in visible_voices(channel).filter(positions__perspective=perspective).distinct()
    }
    visible_testimonies = set(
        Testimony.objects.visible_in(channel)
        .filter(voice_id__in=voices)
        .values_list("pk", flat=True)
    )
    text = _pick(list(perspective.texts.all()), language)
    by_voice: dict[int, list] = {}
    for position in perspective.positions.all():
        if position.voice_id in voices:
            by_voice.setdefault(position.voice_id, []).append(position)
    positions = []
    for voice_id, rows in by_voice.items():
        row = _pick(rows, language)
        responds_to = voices.get(row.responds_to_id)
        testimony_url = ""
        if row.testimony_id in visible_testimonies:
            try:
                testimony_url = reverse("stories:testimony", args=[row.testimony.slug])
            except Exception:  # noqa: BLE001 (the testimony page may not be routed)
                testimony_url = ""
        positions.append(
            PublicPosition(
                voice=voices[voice_id],
                statement=row.statement,
                language=row.locale.language_code,
                stance=row.stance,
                stance_label=str(row.get_stance_display()),
                responds_to=responds_to.display_name if responds_to else "",
                testimony_url=testimony_url,
            )
        )
    return PublicPerspective(
        slug=perspective.slug,
        url=reverse("stories:perspective", args=[perspective.slug]),
        question=text.question if text else perspective.slug,
        introduction=text.introduction if text else "",
        language=text.locale.language_code if text else language,
        positions=positions,
    )
