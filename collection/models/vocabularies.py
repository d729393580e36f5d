"""Shared vocabularies for object records: places, cultures, materials and makers."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index


class NamedTerm(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=255, unique=True)
    uri = models.URLField(
        _("authority URI"), blank=True, help_text=_("e.g. a Getty AAT, TGN or ULAN URI.")
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Place(NamedTerm):
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2, if known.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta(NamedTerm.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")


class Culture(NamedTerm):
    class Meta(NamedTerm.Meta):
        verbose_name = _("culture or people")
        verbose_name_plural = _("cultures and peoples")


class Material(NamedTerm):
    class Meta(NamedTerm.Meta):
        verbose_name = _("material or technique")
        verbose_name_plural = _("materials and techniques")


class Maker(NamedTerm):
    name = models.CharField(_("name"), max_length=255, unique=True)
    life_dates = models.CharField(_("life dates"), max_length=100, blank=True)

    class Meta(NamedTerm.Meta):
        verbose_name = _("maker")
        verbose_name_plural = _("makers")
