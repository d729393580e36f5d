"""The exhibition's models: venues, the home page, and the physical layout (rooms,
placements and their labels)."""

from exhibition.models.pages import HomePage
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
    "HomePage",
    "Placement",
    "PlacementText",
    "Room",
    "RoomText",
    "Venue",
    "VenueQuerySet",
    "parse_language_codes",
    "validate_country_code",
    "validate_language_codes",
    "validate_time_zone",
]
