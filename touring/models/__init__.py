"""Touring: the tour and its venues' contacts, and the content packages that venues pull."""

from touring.models.packages import PackageVersion, package_storage
from touring.models.tour import Tour, TourStop, VenueContact

__all__ = ["PackageVersion", "Tour", "TourStop", "VenueContact", "package_storage"]
