"""What the public may see of events, teacher packs and research articles.

Templates and the calendar feed get these allow-listed values, never the organiser's contact
details; linked rooms, objects and testimonies are selected again through ``visible_in(WEB)``
(via the collection's and stories' own public helpers) at every request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language

from collection.models import ObjectRecord
from collection.public import PublicObjectCard, to_card, web_object_cards
from exhibition.models import Room
from stories.models import Testimony, Theme
from stories.public import (
    PublicTestimonyCard,
    language_name,
    to_public_voice,
    to_testimony_card,
    visible_voices,
    web_testimonies,
)
from visibility.channels import WEB


@dataclass(frozen=True)
class PublicVenue:
    slug: str
    institution: str
    city: str
    time_zone: str


@dataclass(frozen=True)
class PublicEvent:
    """An event as listings, its page and the calendar feed show it."""

    pk: int
    title: str
    url: str
    kind: str
    kind_label: str
    credits: Decimal | None
    venue: PublicVenue
    start: datetime.datetime  # aware, in the venue's time zone
    end: datetime.datetime
    organiser_name: str
    organiser_kind_label: str
    languages: tuple[tuple[str, str], ...]  # (code, name)
    audience_label: str
    age_min: int | None
    age_max: int | None
    accessibility: str
    capacity: int | None
    booking_url: str
    summary: str
    description: str  # rich text (database format), rendered with |richtext

    @property
    def time_zone(self) -> str:
        return self.venue.time_zone

    @property
    def same_day(self) -> bool:
        return self.start.date() == self.end.date()


def to_public_event(event) -> PublicEvent:
    """The public view of ``event`` (an EventPage whose venue is loaded)."""
    venue = event.venue
    return PublicEvent(
        pk=event.pk,
        title=event.title,
        url=event.url or "",
        kind=event.kind,
        kind_label=str(event.get_kind_display()),
        credits=event.credits,
        venue=PublicVenue(
            slug=venue.slug,
            institution=venue.institution,
            city=venue.city,
            time_zone=venue.time_zone,
        ),
        start=event.local_start,
        end=event.local_end,
        organiser_name=event.organiser_name,
        organiser_kind_label=str(event.get_organiser_kind_display()),
        languages=tuple((code, language_name(code)) for code in event.languages),
        audience_label=str(event.get_audience_display()),
        age_min=event.age_min,
        age_max=event.age_max,
        accessibility=event.accessibility,
        capacity=event.capacity,
        booking_url=event.booking_url,
        summary=event.search_description,
        description=event.description,
    )


# --- teacher packs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicPackRoom:
    name: str
    url: str
    venue: str
    note: str


@dataclass(frozen=True)
class PublicPackObject:
    object: PublicObjectCard
    note: str


@dataclass(frozen=True)
class PublicPackTestimony:
    testimony: PublicTestimonyCard
    note: str


def teacher_pack_content(pack) -> dict:
    """Rooms, objects and testimonies of ``pack`` that the web shows today; testimonies only
    where their age suitability covers the youngest pupils of the pack's age group."""
    language = get_language()
    room_links = list(pack.rooms.all())
    rooms = {
        room.pk: room
        for room in Room.objects.visible_in(WEB)
        .filter(pk__in=[link.room_id for link in room_links])
        .select_related("venue")
        .prefetch_related("texts__locale")
    }
    object_links = list(pack.objects_in_pack.all())
    cards = {
        obj.pk: to_card(obj)
        for obj in web_object_cards(
            ObjectRecord.objects.filter(pk__in=[link.object_id for link in object_links])
        )
    }
    testimony_links = list(pack.testimonies.all())
    testimonies = {
        t.pk: t
        for t in web_testimonies(
            Testimony.objects.filter(
                pk__in=[link.testimony_id for link in testimony_links]
            ).suitable_for_age(pack.age_from)
        )
    }
    voices = {
        voice.pk: to_public_voice(voice)
        for voice in visible_voices().filter(pk__in={t.voice_id for t in testimonies.values()})
    }
    pack_testimonies = []
    for link in testimony_links:
        testimony = testimonies.get(link.testimony_id)
        if testimony is None or testimony.voice_id not in voices:
            continue
        card = to_testimony_card(testimony, voices[testimony.voice_id], language)
        if card is not None:
            pack_testimonies.append(PublicPackTestimony(testimony=card, note=link.note))
    return {
        "pack_rooms": [
            PublicPackRoom(
                name=rooms[link.room_id].name,
                url=rooms[link.room_id].get_absolute_url(),
                venue=rooms[link.room_id].venue.institution,
                note=link.note,
            )
            for link in room_links
            if link.room_id in rooms
        ],
        "pack_objects": [
            PublicPackObject(object=cards[link.object_id], note=link.note)
            for link in object_links
            if link.object_id in cards
        ],
        "pack_testimonies": pack_testimonies,
        "questions": [question.text for question in pack.questions.all()],
    }


# --- research ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicReference:
    citation: str
    doi: str
    doi_url: str
    url: str


def theme_names(themes, language: str) -> list[str]:
    """Theme names in ``language`` where a translation exists, else as entered."""
    themes = list(themes)
    translated = {
        theme.translation_key: theme.name
        for theme in Theme.objects.filter(
            translation_key__in=[t.translation_key for t in themes],
            locale__language_code=language,
        )
    }
    return [translated.get(theme.translation_key, theme.name) for theme in themes]


def research_article_content(article) -> dict:
    """Authors, references, the objects the web shows today and themes of ``article``."""
    object_ids = [link.object_id for link in article.linked_objects.all()]
    cards = {
        obj.pk: to_card(obj)
        for obj in web_object_cards(ObjectRecord.objects.filter(pk__in=object_ids))
    }
    return {
        "authors": [(author.name, author.affiliation) for author in article.authors.all()],
        "references": [
            PublicReference(citation=ref.citation, doi=ref.doi, doi_url=ref.doi_url, url=ref.url)
            for ref in article.references.all()
        ],
        "linked_objects": [cards[pk] for pk in object_ids if pk in cards],
        "themes": theme_names(article.themes.all(), get_language()),
    }
