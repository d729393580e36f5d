"""Support information: help lines and organisations, shown beside every testimony and in every
venue's package for its country."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import TranslatableMixin

from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet
from visibility.validators import validate_country_code, validate_language_codes


class SupportResourceQuerySet(VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """Active resources; at a venue, those of its country and the international ones."""
        q = models.Q(is_active=True)
        if channel.venue is not None:
            q &= models.Q(country="") | models.Q(country=channel.venue.country)
        return q


class SupportResource(TranslatableMixin, models.Model):
    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("emergency number")
        HELPLINE = "helpline", _("help line")
        ORGANISATION = "organisation", _("support organisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2 code; leave empty for an international resource."),
    )
    service_languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("BCP 47 codes of the languages the service answers in, e.g. 'sv, en, ar'."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("web address"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SupportResourceQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("support resource")
        verbose_name_plural = _("support resources")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name
