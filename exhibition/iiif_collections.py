"""IIIF Presentation 3 collections of the exhibition: one per venue (its rooms, in the order
of the visit), one per room (the manifests of the objects placed there) and one per theme
(the objects in every room on that theme).

Everything is selected through ``visible_in(WEB)``: rooms of announced venues, placements
whose object the web may show, and only objects that have a manifest (``manifest_objects``).
Labels are language maps from the rooms' and themes' translations.
"""

import json

from django.urls import reverse

from iiif_prezi3 import Collection, CollectionRef, ManifestRef

from collection.iiif.presentation import manifest_objects, manifest_path, title_map
from collection.models import ObjectRecord
from exhibition.models import Placement, Room, Venue
from visibility.channels import WEB

EXHIBITION_LABEL = {"sv": ["Utställningen"], "en": ["The exhibition"]}


def _room_label(room: Room) -> dict:
    names = {text.locale.language_code: [text.name] for text in room.texts.all() if text.name}
    return dict(sorted(names.items())) or {"none": [room.slug]}


def _venue_label(venue: Venue) -> dict:
    return {
        code: [f"{label}: {venue.institution}, {venue.city}"]
        for code, (label,) in EXHIBITION_LABEL.items()
    }


def web_rooms(venue: Venue):
    return (
        Room.objects.visible_in(WEB)
        .filter(venue=venue)
        .prefetch_related("texts__locale")
        .order_by("visit_order", "pk")
    )


def _objects_in(rooms) -> list[ObjectRecord]:
    """Objects with a manifest placed in ``rooms``, in the order of the visit, each once."""
    placements = (
        Placement.objects.visible_in(WEB)
        .filter(room__in=rooms)
        .filter(object__in=manifest_objects())
        .select_related("room")
        .in_visit_order()
    )
    order: list[int] = []
    for placement in placements:
        if placement.object_id not in order:
            order.append(placement.object_id)
    objects = ObjectRecord.objects.filter(pk__in=order).prefetch_related("texts__locale")
    by_pk = {obj.pk: obj for obj in objects}
    return [by_pk[pk] for pk in order if pk in by_pk]


def _manifest_refs(base_url: str, objects) -> list[ManifestRef]:
    return [
        ManifestRef(id=f"{base_url}{manifest_path(obj.pk)}", label=title_map(obj))
        for obj in objects
    ]


def room_collection_url(room: Room) -> str:
    return reverse("exhibition_iiif:room_collection", args=[room.venue.slug, room.slug])


def venue_collection(venue: Venue, *, base_url: str) -> dict:
    base_url = base_url.rstrip("/")
    rooms = web_rooms(venue)
    collection = Collection(
        id=f"{base_url}{reverse('exhibition_iiif:venue_collection', args=[venue.slug])}",
        label=_venue_label(venue),
        items=[
            CollectionRef(
                id=f"{base_url}{room_collection_url(room)}",
                type="Collection",
                label=_room_label(room),
            )
            for room in rooms
        ],
    )
    return json.loads(collection.jsonld())


def room_collection(room: Room, *, base_url: str) -> dict:
    base_url = base_url.rstrip("/")
    collection = Collection(
        id=f"{base_url}{room_collection_url(room)}",
        label=_room_label(room),
        items=_manifest_refs(base_url, _objects_in([room])),
    )
    return json.loads(collection.jsonld())


def theme_collection(theme, *, base_url: str) -> dict:
    """The objects placed in any web-visible room on ``theme`` (in any of its translations)."""
    base_url = base_url.rstrip("/")
    translations = list(type(theme).objects.filter(translation_key=theme.translation_key))
    label = {
        item.locale.language_code: [item.name]
        for item in sorted(translations, key=lambda item: item.locale.language_code)
    }
    rooms = Room.objects.visible_in(WEB).filter(theme__in=translations)
    collection = Collection(
        id=f"{base_url}{reverse('exhibition_iiif:theme_collection', args=[theme.pk])}",
        label=label,
        items=_manifest_refs(base_url, _objects_in(rooms)),
    )
    return json.loads(collection.jsonld())
