"""The physical show: rooms with a floor-plan shape, and objects placed in them with labels.

Rooms belong to one venue. Every venue has its own floor area and walls, so a touring venue
gets its own layout (typically adapted from the home museum's) rather than sharing rooms
whose areas could not add up to two different floors. Areas and shapes are in metres.
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from collection.models import ObjectRecord
from exhibition.models.venues import Venue
from visibility.channels import VENUE, WEB, Channel
from visibility.querysets import VisibleQuerySet

# Largest coordinate accepted in a floor-plan shape: a sanity bound, not a building limit.
MAX_COORDINATE_M = 1000
# A shape may be drawn a little off the declared area (walls have thickness, plans are
# rounded); beyond this the plan and the area figures disagree and one of them is wrong.
SHAPE_AREA_TOLERANCE = Decimal("0.05")

POINT_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")

Point = tuple[float, float]


def parse_shape(text: str) -> list[Point]:
    """Parse ``"x,y x,y …"`` (metres, like SVG's ``points``) into a list of points."""
    points = []
    for token in (text or "").split():
        match = POINT_RE.match(token)
        if not match:
            raise ValidationError(
                _("'%(token)s' is not a point: write each corner as x,y in metres."),
                code="invalid_point",
                params={"token": token},
            )
        points.append((float(match.group(1)), float(match.group(2))))
    return points


def polygon_area(points: list[Point]) -> float:
    """The area enclosed by a simple polygon (shoelace formula)."""
    twice = sum(
        x1 * y2 - x2 * y1
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
    )
    return abs(twice) / 2


def _segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments ab and cd share a point (touching counts)."""

    def orient(p, q, r):
        value = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return 0 if abs(value) < 1e-9 else (1 if value > 0 else -1)

    def on_segment(p, q, r):
        return min(p[0], r[0]) <= q[0] <= max(p[0], r[0]) and min(p[1], r[1]) <= q[1] <= max(
            p[1], r[1]
        )

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and on_segment(a, c, b))
        or (o2 == 0 and on_segment(a, d, b))
        or (o3 == 0 and on_segment(c, a, d))
        or (o4 == 0 and on_segment(c, b, d))
    )


def validate_shape(text: str) -> None:
    """A simple polygon in metres: at least three corners, no crossing edges, some area."""
    points = parse_shape(text)
    if len(points) < 3:
        raise ValidationError(
            _("A shape needs at least three corners, e.g. '0,0 5,0 5,4 0,4'."), code="too_few"
        )
    if any(not (0 <= c <= MAX_COORDINATE_M) for point in points for c in point):
        raise ValidationError(
            _("Coordinates are metres from 0 to %(max)s."),
            code="out_of_range",
            params={"max": MAX_COORDINATE_M},
        )
    if len(set(points)) != len(points):
        raise ValidationError(_("A corner appears twice in the shape."), code="repeated_corner")
    edges = list(zip(points, points[1:] + points[:1], strict=True))
    for i, (a, b) in enumerate(edges):
        for j in range(i + 2, len(edges)):
            if i == 0 and j == len(edges) - 1:
                continue  # the first and the last edge meet at the first corner
            if _segments_cross(a, b, *edges[j]):
                raise ValidationError(
                    _("The shape's edges cross: list the corners in order around the room."),
                    code="self_intersecting",
                )
    if polygon_area(points) < 0.01:
        raise ValidationError(_("The shape encloses no area."), code="no_area")


def point_in_polygon(point: Point, points: list[Point]) -> bool:
    """Whether ``point`` lies inside the polygon or on its edge (a wall)."""
    x, y = point
    edges = list(zip(points, points[1:] + points[:1], strict=True))
    for a, b in edges:
        if _segments_cross(a, b, point, point):
            return True
    inside = False
    for (x1, y1), (x2, y2) in edges:
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _text_for(texts, language: str | None):
    """The row in ``language`` (default: the active one), else the site's default, else any."""
    by_code = {text.locale.language_code: text for text in texts}
    for code in (language or get_language(), settings.LANGUAGE_CODE):
        if code in by_code:
            return by_code[code]
    return next(iter(by_code.values()), None)


class RoomQuerySet(VisibleQuerySet):
    def for_venue(self, venue):
        return self.filter(venue=venue)

    def in_visit_order(self):
        return self.order_by("venue", "visit_order", "pk")

    def visibility_q(self, channel: Channel, on: datetime.date) -> Q:
        """The web shows the rooms of venues it announces; a venue's channels its own rooms."""
        if channel.is_web:
            return Q(venue__in=Venue.objects.visible_in(channel, on=on).values("pk"))
        return Q(venue_id=channel.venue.pk)


class Room(ClusterableModel):
    """A physical zone of the show at one venue, with its area and floor-plan shape."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue")
    )
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("Unique within the venue."))
    visit_order = models.PositiveSmallIntegerField(
        _("order of the visit"), default=1, help_text=_("Visitors walk through rooms 1, 2, 3…")
    )
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=7, decimal_places=1, validators=[MinValueValidator(1)]
    )
    theme = models.ForeignKey(
        "stories.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rooms",
        verbose_name=_("theme"),
        help_text=_("Optional: the theme the room is about, shared with stories."),
    )
    shape = models.CharField(
        _("floor-plan shape"),
        max_length=2000,
        validators=[validate_shape],
        help_text=_(
            "The corners of the room in metres, in order around it, as x,y pairs: "
            "'0,0 5,0 5,10 0,10' is a 5 × 10 m rectangle. All rooms of a venue share one plan."
        ),
    )

    objects = RoomQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("venue"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("visit_order"), FieldPanel("area_m2")]),
        FieldPanel("theme"),
        FieldPanel("shape"),
        InlinePanel("texts", heading=_("Name per language"), min_num=1),
    ]

    class Meta:
        ordering = ["venue", "visit_order", "pk"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["venue", "slug"], name="room_slug_unique_per_venue"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="room_area_positive"),
        ]

    def __str__(self):
        # Named with its venue: admin choosers list the rooms of every venue together.
        text = self.text_for()
        return f"{self.visit_order}. {text.name if text else self.slug} ({self.venue.slug})"

    def clean(self):
        super().clean()
        try:
            points = parse_shape(self.shape)
        except ValidationError:
            return  # the field validator reports it
        if len(points) < 3 or self.area_m2 is None:
            return
        drawn = Decimal(str(round(polygon_area(points), 2)))
        if abs(drawn - self.area_m2) > self.area_m2 * SHAPE_AREA_TOLERANCE:
            raise ValidationError(
                {
                    "shape": _(
                        "The shape encloses %(drawn)s m², but the room's area is %(area)s m². "
                        "Correct one of them."
                    )
                    % {"drawn": drawn, "area": self.area_m2}
                }
            )

    def get_absolute_url(self):
        return reverse("rooms:room", args=[self.venue.slug, self.slug])

    @property
    def points(self) -> list[Point]:
        return parse_shape(self.shape)

    def text_for(self, language: str | None = None) -> RoomText | None:
        return _text_for(self.texts.all(), language)

    @property
    def name(self) -> str:
        text = self.text_for()
        return text.name if text else self.slug

    def theme_for(self, language: str | None = None):
        """The room's theme translated into ``language`` where a translation exists."""
        if self.theme is None:
            return None
        code = language or get_language()
        if self.theme.locale.language_code == code:
            return self.theme
        translation = self.theme.get_translations().filter(locale__language_code=code).first()
        return translation or self.theme


class RoomText(models.Model):
    """A room's name in one language."""

    room = ParentalKey(Room, on_delete=models.CASCADE, related_name="texts")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    name = models.CharField(_("name"), max_length=120)

    panels = [FieldRowPanel([FieldPanel("locale"), FieldPanel("name")])]

    class Meta:
        verbose_name = _("room name")
        constraints = [
            models.UniqueConstraint(fields=["room", "locale"], name="room_text_one_per_locale")
        ]

    def __str__(self):
        return self.name


def rooms_area_total(venue) -> Decimal:
    """The summed area of a venue's rooms."""
    return Room.objects.filter(venue=venue).aggregate(total=Sum("area_m2"))["total"] or Decimal(0)


class PlacementQuerySet(VisibleQuerySet):
    def in_visit_order(self):
        return self.order_by("room__visit_order", "room_id", "visit_order", "pk")

    def visibility_q(self, channel: Channel, on: datetime.date) -> Q:
        """A placement shows where its room and its object may both be shown.

        At a venue that is the object's own rule for that venue (a loan must cover it). On
        the web a placement also says "this object is in this room at venue v", so the object
        must be both visible on the web and allowed at the room's venue.
        """
        rooms = Room.objects.visible_in(channel, on=on).values("pk")
        if not channel.is_web:
            objects = ObjectRecord.objects.visible_in(channel, on=on).values("pk")
            return Q(room__in=rooms) & Q(object__in=objects)
        at_venue = [
            Q(room__venue_id=venue.pk)
            & Q(object__in=ObjectRecord.objects.visible_in(VENUE(venue), on=on).values("pk"))
            for venue in Venue.objects.visible_in(WEB, on=on)
        ]
        if not at_venue:
            return Q(pk__in=[])
        return (
            Q(room__in=rooms)
            & Q(object__in=ObjectRecord.objects.visible_in(WEB, on=on).values("pk"))
            & functools.reduce(operator.or_, at_venue)
        )


class Placement(ClusterableModel):
    """One object at one position in a room, with its label texts per language."""

    class Kind(models.TextChoices):
        WALL = "wall", _("wall")
        CASE = "case", _("case")
        PLINTH = "plinth", _("plinth")
        FLOOR = "floor", _("floor")

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="placements", verbose_name=_("room")
    )
    object = models.ForeignKey(
        ObjectRecord,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("object"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CASE)
    position = models.PositiveSmallIntegerField(
        _("position number"), default=1, help_text=_("The wall, case or plinth number.")
    )
    x_m = models.DecimalField(_("x (m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    y_m = models.DecimalField(_("y (m)"), max_digits=6, decimal_places=2, null=True, blank=True)
    visit_order = models.PositiveSmallIntegerField(
        _("order in the room"), default=1, help_text=_("The order visitors meet it in the room.")
    )

    objects = PlacementQuerySet.as_manager()

    panels = [
        FieldPanel("room"),
        FieldPanel("object"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("position")]),
                FieldRowPanel([FieldPanel("x_m"), FieldPanel("y_m")]),
                FieldPanel("visit_order"),
            ],
            heading=_("Position"),
        ),
        InlinePanel(
            "texts",
            heading=_("Labels"),
            help_text=_("Word limits: object label 60, case label 100, wall text 150 words."),
        ),
    ]

    class Meta:
        ordering = ["room", "visit_order", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["room", "object"], name="placement_once_per_room"),
            models.CheckConstraint(
                condition=Q(x_m__isnull=True, y_m__isnull=True)
                | Q(x_m__isnull=False, y_m__isnull=False),
                name="placement_both_coordinates_or_none",
            ),
        ]

    def __str__(self):
        return f"{self.object} – {self.room}"

    def clean(self):
        super().clean()
        errors = {}
        if (self.x_m is None) != (self.y_m is None):
            errors["y_m" if self.y_m is None else "x_m"] = _("Give both x and y, or neither.")
        elif self.x_m is not None and self.room_id:
            try:
                points = self.room.points
            except ValidationError:
                points = []
            if len(points) >= 3 and not point_in_polygon(
                (float(self.x_m), float(self.y_m)), points
            ):
                errors["x_m"] = _("The position lies outside the room's shape.")
        if self.room_id and self.object_id:
            elsewhere = Placement.objects.filter(
                room__venue_id=self.room.venue_id, object_id=self.object_id
            ).exclude(pk=self.pk)
            if elsewhere.exists():
                errors["object"] = _("This object is already placed at this venue.")
        if errors:
            raise ValidationError(errors)

    @property
    def point(self) -> Point | None:
        return None if self.x_m is None else (float(self.x_m), float(self.y_m))

    def texts_in(self, language: str) -> dict[str, PlacementText]:
        """This placement's labels in exactly ``language``, by kind."""
        return {
            text.kind: text for text in self.texts.all() if text.locale.language_code == language
        }

    def label_for(self, kind: str, language: str | None = None) -> PlacementText | None:
        """The label of ``kind`` in ``language``, else in the site's default language."""
        return _text_for([t for t in self.texts.all() if t.kind == kind], language)


class PlacementText(models.Model):
    """One label text of a placement in one language."""

    class Kind(models.TextChoices):
        OBJECT_LABEL = "object", _("object label")
        CASE_LABEL = "case", _("case label")
        WALL_TEXT = "wall", _("wall text")

    placement = ParentalKey(Placement, on_delete=models.CASCADE, related_name="texts")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.OBJECT_LABEL
    )
    text = models.TextField(_("text"))

    panels = [FieldRowPanel([FieldPanel("locale"), FieldPanel("kind")]), FieldPanel("text")]

    class Meta:
        ordering = ["kind", "locale"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "locale", "kind"], name="placement_text_one_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:40]}"

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def clean(self):
        super().clean()
        limit = LABEL_WORD_LIMITS.get(self.kind)
        if limit and self.word_count > limit:
            raise ValidationError(
                {
                    "text": _(
                        "A %(kind)s may have at most %(limit)s words; this one has %(count)s."
                    )
                    % {"kind": self.get_kind_display(), "limit": limit, "count": self.word_count}
                },
                code="too_many_words",
            )


# Word limits per label kind. An object label of 60 words is the common museum guideline
# (read standing, in under half a minute); a case label introduces a group of objects and a
# wall text a section, so they may be longer, but still short enough to read on the spot.
LABEL_WORD_LIMITS = {
    PlacementText.Kind.OBJECT_LABEL: 60,
    PlacementText.Kind.CASE_LABEL: 100,
    PlacementText.Kind.WALL_TEXT: 150,
}
