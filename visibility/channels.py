"""Channels: where content appears. Plain values, importable by every app.

``WEB`` is the public site with its JSON API, search and IIIF. ``VENUE(v)`` is the physical
show at venue ``v`` with its kiosks and content package, and ``PRINT(v)`` the printed labels
for ``v``. A channel carries a frozen snapshot of its venue (:class:`VenueRef`), so this
module imports no model and channels can be compared, hashed and passed to tasks.
"""

import datetime
import enum
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone


class ChannelKind(enum.StrEnum):
    WEB = "web"
    VENUE = "venue"
    PRINT = "print"


@dataclass(frozen=True, slots=True)
class VenueRef:
    """What visibility rules need to know about a venue, detached from the model."""

    pk: int
    slug: str
    country: str
    time_zone: str = "Europe/Stockholm"
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    languages: tuple[str, ...] = field(default=())
    # The home museum shows the exhibition first; every other venue is a touring venue, which
    # needs consent for touring packages and kiosks as well as for the physical show.
    is_home: bool = False

    @classmethod
    def of(cls, venue) -> "VenueRef":
        """Snapshot a venue model instance (or anything with the same attributes)."""
        if isinstance(venue, VenueRef):
            return venue
        if getattr(venue, "pk", None) is None:
            raise ValueError("A channel needs a saved venue (it has no primary key).")
        return cls(
            pk=venue.pk,
            slug=venue.slug,
            country=venue.country,
            time_zone=venue.time_zone,
            opens_on=venue.opens_on,
            closes_on=venue.closes_on,
            languages=tuple(venue.languages),
            is_home=bool(getattr(venue, "is_home_museum", False)),
        )

    def today(self) -> datetime.date:
        """The current date where the venue is."""
        return timezone.localdate(timezone=ZoneInfo(self.time_zone))


@dataclass(frozen=True, slots=True)
class Channel:
    """One place content appears. Build with ``WEB``, ``VENUE(v)`` or ``PRINT(v)``."""

    kind: ChannelKind
    venue: VenueRef | None = None

    def __post_init__(self):
        if not isinstance(self.kind, ChannelKind):
            raise TypeError(f"Unknown channel kind {self.kind!r}.")
        if (self.kind is ChannelKind.WEB) != (self.venue is None):
            raise ValueError(
                "WEB has no venue; VENUE and PRINT channels need one."
                if self.venue
                else f"A {self.kind} channel needs a venue."
            )

    @property
    def is_web(self) -> bool:
        return self.kind is ChannelKind.WEB

    @property
    def key(self) -> str:
        """A stable text form, e.g. ``web``, ``venue:goteborg``, ``print:goteborg``."""
        return self.kind.value if self.venue is None else f"{self.kind}:{self.venue.slug}"

    def today(self) -> datetime.date:
        """Today's date for this channel: at the venue for venue channels."""
        return self.venue.today() if self.venue else timezone.localdate()

    def __str__(self):
        return self.key


WEB = Channel(ChannelKind.WEB)


def VENUE(venue) -> Channel:  # noqa: N802 (reads as a constant constructor: VENUE(v))
    """The physical show at ``venue``: its rooms, kiosks and content package."""
    return Channel(ChannelKind.VENUE, VenueRef.of(venue))


def PRINT(venue) -> Channel:  # noqa: N802
    """Printed labels for ``venue``."""
    return Channel(ChannelKind.PRINT, VenueRef.of(venue))
