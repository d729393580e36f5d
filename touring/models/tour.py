"""The tour: the ordered list of venues the exhibition travels to, and each venue's
confidential contacts (admin only: no package, API or page reads them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable


class Tour(ClusterableModel):
    """One tour of the exhibition: its venues in the order the show visits them."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    notes = models.TextField(_("internal notes"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        InlinePanel("stops", heading=_("Venues in order"), min_num=1),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("tour")
        verbose_name_plural = _("tours")

    def __str__(self):
        return self.name

    @property
    def venues(self) -> list:
        """The tour's venues in visit order."""
        return [stop.venue for stop in self.stops.select_related("venue").order_by("sort_order")]


class TourStop(Orderable):
    """One venue of a tour; the stops' order is the tour's order."""

    tour = ParentalKey(Tour, on_delete=models.CASCADE, related_name="stops")
    venue = models.ForeignKey(
        "exhibition.Venue",
        on_delete=models.PROTECT,
        related_name="tour_stops",
        verbose_name=_("venue"),
    )

    panels = [FieldPanel("venue")]

    class Meta(Orderable.Meta):
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")
        constraints = [
            models.UniqueConstraint(fields=["tour", "venue"], name="tour_stop_venue_once")
        ]

    def __str__(self):
        return f"{self.tour}: {self.venue}"


class VenueContact(models.Model):
    """A person to reach at a venue. Confidential: admin only, never in public output."""

    venue = models.ForeignKey(
        "exhibition.Venue",
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("venue"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    panels = [
        FieldPanel("venue"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
    ]

    class Meta:
        ordering = ["venue", "name"]
        verbose_name = _("venue contact")
        verbose_name_plural = _("venue contacts")

    def __str__(self):
        return f"{self.name} ({self.venue.slug})"
