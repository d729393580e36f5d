"""The exhibition's models: venues, the page tree (home, exhibition, sections, narrative
pages), and the physical layout (rooms, placements and their labels)."""

from exhibition.models.narrative import NarrativePage
from exhibition.models.pages import ExhibitionPage, HomePage, SectionPage
from exhibition.models.rooms import (
    LABEL_WORD_LIMITS,
    Placement,
    PlacementText,
    Room,
    RoomText,
)
from exhibition.models.venues import (
    Venue,
    VenueQuerySet,
    parse_language_codes,  # migrations refer to the validators here
    validate_country_code,
    validate_language_codes,
    validate_time_zone,
)

__all__ = [
    "LABEL_WORD_LIMITS",
    "ExhibitionPage",
    "HomePage",
    "NarrativePage",
    "Placement",
    "PlacementText",
    "Room",
    "RoomText",
    "SectionPage",
    "Venue",
    "VenueQuerySet",
    "parse_language_codes",
    "validate_country_code",
    "validate_language_codes",
    "validate_time_zone",
]
