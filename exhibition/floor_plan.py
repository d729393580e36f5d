"""The floor plan of a venue, drawn server-side as accessible SVG from its rooms and placements.

:func:`public_plan` selects through ``visible_in(WEB)`` and the collection's public
allow-list; :func:`staff_plan` shows curators every placement and marks those the venue may
not show (an unpublished object, a loan that does not cover the venue).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import get_language

from collection.models import ObjectRecord
from collection.public import to_card, web_object_cards
from exhibition.models import Placement, Room, Venue
from exhibition.models.rooms import Point, point_in_polygon
from visibility.channels import VENUE, WEB

MARGIN_M = 0.5


@dataclass
class PlanMarker:
    number: int
    x: float
    y: float
    title: str
    kind: str
    position: int
    url: str = ""
    label: str = ""
    label_language: str = ""
    # Staff plans only: placed, but not shown at the venue.
    hidden: bool = False


@dataclass
class PlanRoom:
    pk: int
    slug: str
    number: int
    name: str
    area_m2: Decimal
    theme: str
    points: list[Point]
    url: str = ""
    markers: list[PlanMarker] = field(default_factory=list)

    @property
    def points_attr(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.points)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        xs, ys = [x for x, _y in self.points], [y for _x, y in self.points]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def label_x(self) -> float:
        left, _top, right, _bottom = self.bounds
        return round((left + right) / 2, 2)

    @property
    def label_y(self) -> float:
        return round(self.bounds[1] + self.name_size + 0.3, 2)

    @property
    def area_y(self) -> float:
        return round(self.label_y + self.name_size * 0.95, 2)

    @property
    def name_size(self) -> float:
        """A font size (m) at which the name fits across the room."""
        left, _top, right, _bottom = self.bounds
        return round(min(0.6, 0.9 * (right - left) / (0.55 * max(len(self.name), 1))), 2)


@dataclass
class FloorPlan:
    venue: Venue
    rooms: list[PlanRoom]
    total_area_m2: Decimal

    @property
    def view_box(self) -> str:
        if not self.rooms:
            return "0 0 10 10"
        bounds = [room.bounds for room in self.rooms]
        left = min(b[0] for b in bounds) - MARGIN_M
        top = min(b[1] for b in bounds) - MARGIN_M
        width = max(b[2] for b in bounds) + MARGIN_M - left
        height = max(b[3] for b in bounds) + MARGIN_M - top
        return f"{left:g} {top:g} {width:g} {height:g}"

    @property
    def markers(self) -> list[PlanMarker]:
        return [marker for room in self.rooms for marker in room.markers]

    @property
    def exceeds_venue(self) -> bool:
        return self.total_area_m2 > self.venue.floor_area_m2


def _spread(count: int, points: list[Point], top_reserved: float) -> list[Point]:
    """Marker positions for placements without coordinates: a grid inside the room."""
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    left, right = min(xs), max(xs)
    top, bottom = min(ys) + top_reserved, max(ys)
    if bottom - top < 1:
        top = min(ys)
    width, height = right - left, bottom - top
    columns = max(1, math.ceil(math.sqrt(count * width / max(height, 0.1))))
    rows = max(1, math.ceil(count / columns))
    spots = []
    for index in range(count):
        row, column = divmod(index, columns)
        spot = (
            round(left + width * (column + 0.5) / columns, 2),
            round(top + height * (row + 0.5) / rows, 2),
        )
        if not point_in_polygon(spot, points):
            spot = (round(sum(xs) / len(xs), 2), round(sum(ys) / len(ys), 2))
        spots.append(spot)
    return spots


def _build(venue: Venue, rooms, placements_by_room, describe) -> FloorPlan:
    plan_rooms, number = [], 0
    for index, room in enumerate(rooms, start=1):
        theme = room.theme_for()
        text = room.text_for()
        plan_room = PlanRoom(
            pk=room.pk,
            slug=room.slug,
            number=index,
            name=text.name if text else room.slug,
            area_m2=room.area_m2,
            theme=theme.name if theme else "",
            points=room.points,
        )
        placements = placements_by_room.get(room.pk, [])
        loose = [p for p in placements if p.point is None]
        spots = iter(
            _spread(len(loose), plan_room.points, plan_room.area_y + 0.4 - plan_room.bounds[1])
        )
        for placement in placements:
            number += 1
            x, y = placement.point or next(spots)
            plan_room.markers.append(
                PlanMarker(
                    number=number,
                    x=x,
                    y=y,
                    kind=placement.get_kind_display(),
                    position=placement.position,
                    **describe(placement),
                )
            )
        plan_rooms.append(plan_room)
    total = sum((room.area_m2 for room in rooms), Decimal(0))
    return FloorPlan(venue=venue, rooms=plan_rooms, total_area_m2=total)


def public_plan(venue: Venue) -> FloorPlan:
    """The plan the web shows: rooms and placements visible on ``WEB``, public fields only."""
    rooms = list(
        Room.objects.visible_in(WEB)
        .filter(venue=venue)
        .select_related("theme__locale")
        .prefetch_related("texts__locale")
        .order_by("visit_order", "pk")
    )
    placements = (
        Placement.objects.visible_in(WEB)
        .filter(room__venue=venue)
        .prefetch_related("texts__locale")
        .in_visit_order()
    )
    cards = {
        card.pk: card
        for card in map(
            to_card,
            web_object_cards(ObjectRecord.objects.filter(placements__in=placements)),
        )
    }
    language = get_language()
    by_room: dict[int, list[Placement]] = {}
    for placement in placements:
        if placement.object_id in cards:  # the allow-list agrees the web may show it
            by_room.setdefault(placement.room_id, []).append(placement)

    def describe(placement):
        card = cards[placement.object_id]
        label = placement.label_for("object", language)
        return {
            "title": card.title,
            "url": card.url,
            "label": label.text if label else "",
            "label_language": label.locale.language_code if label else "",
        }

    return _build(venue, rooms, by_room, describe)


def staff_plan(venue: Venue) -> FloorPlan:
    """Every room and placement of ``venue``, marking what the venue may not show."""
    rooms = list(
        Room.objects.filter(venue=venue)
        .select_related("theme__locale")
        .prefetch_related("texts__locale")
        .order_by("visit_order", "pk")
    )
    placements = (
        Placement.objects.filter(room__venue=venue)
        .select_related("object")
        .prefetch_related("object__texts__locale")
        .in_visit_order()
    )
    shown = set(
        Placement.objects.visible_in(VENUE(venue))
        .filter(room__venue=venue)
        .values_list("pk", flat=True)
    )
    by_room: dict[int, list[Placement]] = {}
    for placement in placements:
        by_room.setdefault(placement.room_id, []).append(placement)

    def describe(placement):
        text = placement.object.text_for()
        return {
            "title": f"{placement.object.inventory_number} {text.title if text else ''}".strip(),
            "hidden": placement.pk not in shown,
        }

    return _build(venue, rooms, by_room, describe)


def render_svg(plan: FloorPlan, *, standalone: bool = False, id_prefix: str = "plan") -> str:
    """The plan as SVG markup (an inline element, or a standalone document)."""
    return render_to_string(
        "exhibition/includes/floor_plan.svg",
        {"plan": plan, "standalone": standalone, "prefix": id_prefix},
    )
