"""Public views of the physical show: the rooms in visit order, one room with its objects and
labels, and the venue's floor plan. Everything is selected through ``visible_in(WEB)`` and the
collection's public allow-list (:mod:`collection.public`)."""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from collection.models import ObjectRecord
from collection.public import to_card, web_object_cards
from exhibition.floor_plan import public_plan, render_svg
from exhibition.models import Placement, Room, Venue
from visibility.channels import WEB


def _web_venue(slug: str) -> Venue:
    return get_object_or_404(Venue.objects.visible_in(WEB), slug=slug)


@require_safe
def room_list(request, venue_slug: str | None = None):
    """The rooms of a venue (by default the home museum) in the order of the visit."""
    if venue_slug is None:
        # The main navigation links here: before a home museum is announced it lists nothing.
        venue = Venue.objects.visible_in(WEB).filter(is_home_museum=True).first()
        if venue is None:
            return render(
                request, "exhibition/room_list.html", {"venue": None, "title": _("Rooms")}
            )
    else:
        venue = _web_venue(venue_slug)
    visible = Placement.objects.visible_in(WEB).values("pk")
    rooms = (
        Room.objects.visible_in(WEB)
        .filter(venue=venue)
        .select_related("theme__locale")
        .prefetch_related("texts__locale")
        .annotate(object_count=Count("placements", filter=Q(placements__in=visible)))
        .order_by("visit_order", "pk")
    )
    return render(
        request,
        "exhibition/room_list.html",
        {
            "venue": venue,
            "rooms": rooms,
            "title": _("Rooms at %(venue)s") % {"venue": venue.institution},
        },
    )


@require_safe
def room_detail(request, venue_slug: str, room_slug: str):
    """One room: its objects in the order of the visit, with labels in the visitor's language."""
    venue = _web_venue(venue_slug)
    room = get_object_or_404(
        Room.objects.visible_in(WEB)
        .filter(venue=venue)
        .select_related("theme__locale")
        .prefetch_related("texts__locale"),
        slug=room_slug,
    )
    placements = list(
        Placement.objects.visible_in(WEB)
        .filter(room=room)
        .prefetch_related("texts__locale")
        .in_visit_order()
    )
    cards = {
        card.pk: card
        for card in map(
            to_card,
            web_object_cards(ObjectRecord.objects.filter(pk__in=[p.object_id for p in placements])),
        )
    }
    language = get_language()
    items = [
        {
            "card": cards[placement.object_id],
            "kind": placement.get_kind_display(),
            "position": placement.position,
            "labels": [
                label
                for label in (
                    placement.label_for(kind, language) for kind in ("wall", "case", "object")
                )
                if label
            ],
        }
        for placement in placements
        if placement.object_id in cards
    ]
    siblings = list(Room.objects.visible_in(WEB).filter(venue=venue).order_by("visit_order", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == room.pk)
    return render(
        request,
        "exhibition/room.html",
        {
            "venue": venue,
            "room": room,
            "room_text": room.text_for(language),
            "theme": room.theme_for(language),
            "items": items,
            "previous_room": siblings[index - 1] if index > 0 else None,
            "next_room": siblings[index + 1] if index + 1 < len(siblings) else None,
            "title": room.name,
        },
    )


@require_safe
def floor_plan(request, venue_slug: str):
    """The venue's floor plan: an SVG drawing with the same content as a list beside it."""
    venue = _web_venue(venue_slug)
    plan = public_plan(venue)
    return render(
        request,
        "exhibition/floor_plan.html",
        {
            "venue": venue,
            "plan": plan,
            "svg": render_svg(plan),
            "title": _("Floor plan: %(venue)s") % {"venue": venue.institution},
        },
    )


@require_safe
def floor_plan_svg(request, venue_slug: str):
    """The floor plan drawing alone, as an SVG file."""
    venue = _web_venue(venue_slug)
    return HttpResponse(
        render_svg(public_plan(venue), standalone=True), content_type="image/svg+xml"
    )


app_name = "rooms"
urlpatterns = [
    path("exhibition/rooms/", room_list, name="list"),
    path("exhibition/rooms/<slug:venue_slug>/", room_list, name="venue_list"),
    path("exhibition/rooms/<slug:venue_slug>/<slug:room_slug>/", room_detail, name="room"),
    path("exhibition/floor-plan/<slug:venue_slug>/", floor_plan, name="floor_plan"),
    path("exhibition/floor-plan/<slug:venue_slug>.svg", floor_plan_svg, name="floor_plan_svg"),
]
