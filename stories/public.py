"""What the public may see of voices (and, further down, testimonies and perspectives).

Public pages, the JSON API, search documents and packages never get a model instance: they
get these frozen dataclasses, built from rows selected with ``visible_in(channel)``, holding
only the fields listed here. A voice's identity, consent, contacts and internal flags are not
among them; the portrait appears only while the consent covers it on that channel.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from stories.models import Consent, Voice
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
