import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet
from visibility.validators import (  # noqa: F401 (migrations refer to them here)
    parse_language_codes,
    validate_country_code,
    validate_language_codes,
    validate_time_zone,
)


class VenueQuerySet(VisibleQuerySet):
    def announced(self):
        return self.filter(announced=True)

    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """The web shows announced venues; a venue's own channels show that venue."""
        if channel.is_web:
            return models.Q(announced=True)
        return models.Q(pk=channel.venue.pk)


class Venue(models.Model):
    """A place that shows the exhibition: the home museum or a touring venue.

    Channels (``VENUE(v)``, ``PRINT(v)``), loans, consent and events all refer to venues.
    """

    institution = models.CharField(_("institution"), max_length=255)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2 code, e.g. SE. Consent is given per country."),
    )
    language_codes = models.CharField(
        _("languages"),
        max_length=200,
        validators=[validate_language_codes],
        help_text=_("BCP 47 codes in order of preference, comma-separated, e.g. 'sv, en'."),
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Stockholm", validators=[validate_time_zone]
    )
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(1)],
        help_text=_("The area available for the exhibition."),
    )
    is_home_museum = models.BooleanField(_("home museum"), default=False)
    announced = models.BooleanField(
        _("announced"), default=False, help_text=_("Shown on the public tour listing.")
    )

    objects = VenueQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("institution"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
            ],
            heading=_("Institution"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldPanel("time_zone"),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("language_codes"),
        FieldPanel("floor_area_m2"),
        FieldRowPanel([FieldPanel("is_home_museum"), FieldPanel("announced")]),
    ]

    class Meta:
        ordering = [models.F("opens_on").asc(nulls_last=True), "institution"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(
                fields=["is_home_museum"],
                condition=models.Q(is_home_museum=True),
                name="venue_single_home_museum",
                violation_error_message=_("Only one venue can be the home museum."),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(opens_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="venue_closes_after_opening",
                violation_error_message=_("A venue cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(floor_area_m2__gt=0), name="venue_floor_area_positive"
            ),
        ]

    def __str__(self):
        return f"{self.institution}, {self.city}"

    @property
    def languages(self) -> list[str]:
        """The venue's languages, most preferred first."""
        return parse_language_codes(self.language_codes)

    def clean(self):
        super().clean()
        self.language_codes = ", ".join(parse_language_codes(self.language_codes))
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A venue cannot close before it opens.")})

    def is_open_on(self, day: datetime.date) -> bool:
        return bool(
            self.opens_on
            and self.opens_on <= day
            and (self.closes_on is None or day <= self.closes_on)
        )
