"""IIIF collections of the exhibition (venues, rooms, themes), served like object manifests."""

from collection.iiif.presentation_views import base_url, document_response, not_found
from collection.iiif.views import iiif_endpoint
from exhibition.iiif_collections import room_collection, theme_collection, venue_collection
from exhibition.models import Room, Venue
from stories.models import Theme
from visibility.channels import WEB

NO_VENUE = "No announced venue has this name."
NO_ROOM = "No room of an announced venue has this name."
NO_THEME = "No room of an announced venue is on this theme."


@iiif_endpoint
def venue_collection_view(request, venue_slug: str):
    venue = Venue.objects.visible_in(WEB).filter(slug=venue_slug).first()
    if venue is None:
        return not_found(NO_VENUE)
    return document_response(request, venue_collection(venue, base_url=base_url(request)))


@iiif_endpoint
def room_collection_view(request, venue_slug: str, room_slug: str):
    room = (
        Room.objects.visible_in(WEB)
        .filter(venue__slug=venue_slug, slug=room_slug)
        .select_related("venue")
        .prefetch_related("texts__locale")
        .first()
    )
    if room is None:
        return not_found(NO_ROOM)
    return document_response(request, room_collection(room, base_url=base_url(request)))


@iiif_endpoint
def theme_collection_view(request, pk: int):
    theme = Theme.objects.filter(pk=pk).select_related("locale").first()
    if theme is None:
        return not_found(NO_THEME)
    translations = Theme.objects.filter(translation_key=theme.translation_key)
    if not Room.objects.visible_in(WEB).filter(theme__in=translations).exists():
        # A theme no public room uses is not published through IIIF (nothing to show, and
        # its name alone should not leak ahead of the rooms).
        return not_found(NO_THEME)
    return document_response(request, theme_collection(theme, base_url=base_url(request)))
