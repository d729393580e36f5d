"""Venue staff: users who work for one touring venue and may edit only its rooms and labels.

A user with at least one ``VenueStaff`` row is *restricted* to those venues in the admin's
rooms and placements (see :mod:`localisation.venue_staff`); museum staff have no row and see
every venue. The model also carries the localisation permissions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueStaff(models.Model):
    """A user working for a venue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="venue_memberships",
        verbose_name=_("user"),
    )
    venue = models.ForeignKey(
        "exhibition.Venue",
        on_delete=models.CASCADE,
        related_name="staff",
        verbose_name=_("venue"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("venue staff member")
        verbose_name_plural = _("venue staff")
        ordering = ["venue", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "venue"], name="venue_staff_once_per_venue")
        ]
        permissions = [
            ("view_translation_report", "Can view translation completeness reports"),
            ("exchange_po_files", "Can export and import translation (PO) files"),
        ]

    def __str__(self):
        return f"{self.user} – {self.venue}"
