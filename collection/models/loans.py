import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from collection.models.lenders import Lender
from collection.models.objects import ObjectRecord
from visibility.channels import VenueRef

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def validate_currency(value: str) -> None:
    if not CURRENCY_RE.match(value or ""):
        raise ValidationError(
            _("Enter an ISO 4217 currency code, e.g. SEK or EUR."), code="invalid_currency"
        )


def confirmed_loan_q(prefix: str = "") -> Q:
    """Loans that were agreed (or have gone further): a request alone shows nothing."""
    return ~Q(**{f"{prefix}status": LoanAgreement.Status.REQUESTED})


def covers_venue_q(venue: VenueRef, prefix: str = "") -> Q:
    """Loans that name ``venue`` (or all venues) and whose period covers its dates."""
    if venue.opens_on is None or venue.closes_on is None:
        return Q(pk__in=[])  # a venue without dates cannot be checked, so is not covered
    return (Q(**{f"{prefix}all_venues": True}) | Q(**{f"{prefix}venues": venue.pk})) & Q(
        **{f"{prefix}starts_on__lte": venue.opens_on, f"{prefix}ends_on__gte": venue.closes_on}
    )


class LoanAgreement(index.Indexed, ClusterableModel):
    """A loan agreement with one lender for one or more objects.

    Insurance values and the lender's contact stay in the admin; public output shows the
    credit line and the lender's public name only.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        AGREED = "agreed", _("agreed")
        IN_TRANSIT = "in_transit", _("in transit")
        ON_DISPLAY = "on_display", _("on display")
        RETURNED = "returned", _("returned")

    number = models.CharField(_("loan number"), max_length=50, unique=True)
    lender = models.ForeignKey(
        Lender, on_delete=models.PROTECT, related_name="loans", verbose_name=_("lender")
    )
    loaned_objects = ParentalManyToManyField(
        ObjectRecord, related_name="loans", verbose_name=_("objects"), blank=True
    )
    starts_on = models.DateField(_("loan starts"))
    ends_on = models.DateField(_("loan ends"))
    all_venues = models.BooleanField(_("all venues"), default=False)
    # A relation by model name: collection never imports exhibition (DESIGN.md).
    venues = ParentalManyToManyField(
        "exhibition.Venue", related_name="loans", verbose_name=_("venues"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    shipped_on = models.DateField(_("in transit from"), null=True, blank=True)
    on_display_from = models.DateField(_("on display from"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    max_lux = models.PositiveIntegerField(_("maximum light (lux)"), null=True, blank=True)
    humidity_min = models.PositiveSmallIntegerField(
        _("relative humidity from (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    humidity_max = models.PositiveSmallIntegerField(
        _("relative humidity to (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    temperature_min = models.DecimalField(
        _("temperature from (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    temperature_max = models.DecimalField(
        _("temperature to (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    security = models.TextField(_("security requirements"), blank=True)
    mounting = models.TextField(_("mounting requirements"), blank=True)
    # Confidential.
    insurance_value = models.DecimalField(
        _("insurance value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    insurance_currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    photography_allowed = models.BooleanField(_("visitors may photograph"), default=False)
    online_publication_allowed = models.BooleanField(
        _("images may be published online"), default=False
    )
    notes = models.TextField(_("internal notes"), blank=True)

    search_fields = [
        index.SearchField("number"),
        index.AutocompleteField("number"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["starts_on", "number"]
        verbose_name = _("loan agreement")
        verbose_name_plural = _("loan agreements")
        permissions = [("view_insurance", "Can see and edit insurance values")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="loan_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.lender})"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A loan cannot end before it starts.")
        if self.insurance_value is not None and not self.insurance_currency:
            errors["insurance_currency"] = _("Give the currency of the insurance value.")
        if (
            self.humidity_min is not None
            and self.humidity_max is not None
            and self.humidity_min > self.humidity_max
        ):
            errors["humidity_max"] = _("The humidity range is reversed.")
        if (
            self.temperature_min is not None
            and self.temperature_max is not None
            and self.temperature_min > self.temperature_max
        ):
            errors["temperature_max"] = _("The temperature range is reversed.")
        if errors:
            raise ValidationError(errors)

    def covers(self, venue) -> bool:
        """Whether this loan names ``venue`` (or all venues) for the venue's whole period."""
        ref = VenueRef.of(venue)
        if ref.opens_on is None or ref.closes_on is None:
            return False
        named = self.all_venues or self.venues.filter(pk=ref.pk).exists()
        return named and self.starts_on <= ref.opens_on and self.ends_on >= ref.closes_on

    def credit_line_for(self, language: str) -> str:
        lines = {line.locale.language_code: line.text for line in self.credit_lines.all()}
        return lines.get(language) or next(iter(lines.values()), "")


class LoanCreditLine(Orderable):
    loan = ParentalKey(LoanAgreement, on_delete=models.CASCADE, related_name="credit_lines")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    text = models.CharField(_("credit line"), max_length=500)

    class Meta(Orderable.Meta):
        verbose_name = _("credit line")
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "locale"], name="loan_credit_line_one_per_locale"
            )
        ]
