import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from collection.models.images import MuseumImage
from collection.models.lenders import Lender
from collection.models.vocabularies import Culture, Maker, Material, Place
from collection.rights import RIGHTS_CHOICES, validate_rights_uri
from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet


def published_q(prefix: str = "") -> Q:
    """Published, and cleared by a curator if it is sensitive."""
    return Q(**{f"{prefix}is_published": True}) & (
        Q(**{f"{prefix}contains_human_remains": False, f"{prefix}restricted_by_community": False})
        | Q(**{f"{prefix}sensitivity_cleared": True})
    )


class ObjectRecordQuerySet(VisibleQuerySet):
    def published(self):
        return self.filter(published_q())

    def own(self):
        return self.filter(lender__isnull=True)

    def on_loan(self):
        return self.filter(lender__isnull=False)

    def visibility_q(self, channel: Channel, on: datetime.date) -> Q:
        """Published and cleared; a loan must be agreed, and cover the venue's place and dates."""
        from collection.models.loans import LoanAgreement, confirmed_loan_q, covers_venue_q

        loans = LoanAgreement.objects.filter(loaned_objects=OuterRef("pk")).filter(
            confirmed_loan_q()
        )
        if channel.venue is not None:
            loans = loans.filter(covers_venue_q(channel.venue))
        return published_q() & (Q(lender__isnull=True) | Exists(loans))


class ObjectRecord(index.Indexed, ClusterableModel):
    """One object: the museum's own or borrowed from a lender.

    Structured data lives here once; title, description, label and credit line are
    translated in :class:`ObjectText` rows, one per locale.
    """

    inventory_number = models.CharField(_("inventory number"), max_length=100)
    lender = models.ForeignKey(
        Lender,
        verbose_name=_("holding institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_objects",
        help_text=_("Empty for the museum's own collection."),
    )
    object_type = models.CharField(_("object type"), max_length=255, blank=True)
    materials = ParentalManyToManyField(
        Material, verbose_name=_("materials and techniques"), blank=True
    )
    cultures = ParentalManyToManyField(Culture, verbose_name=_("cultures and peoples"), blank=True)
    makers = ParentalManyToManyField(Maker, verbose_name=_("makers"), blank=True)
    dating = models.CharField(
        _("dating"), max_length=255, blank=True, help_text=_("As displayed, e.g. 'c. 1650'.")
    )
    earliest_year = models.IntegerField(
        _("earliest year"), null=True, blank=True, help_text=_("Negative for BCE.")
    )
    latest_year = models.IntegerField(_("latest year"), null=True, blank=True)
    dimensions_text = models.CharField(_("dimensions as displayed"), max_length=1000, blank=True)
    inscriptions = models.TextField(_("inscriptions"), blank=True)
    rights_statement = models.CharField(
        _("rights statement"),
        max_length=255,
        blank=True,
        choices=RIGHTS_CHOICES,
        validators=[validate_rights_uri],
    )
    is_published = models.BooleanField(_("published"), default=False)
    contains_human_remains = models.BooleanField(_("contains human remains"), default=False)
    restricted_by_community = models.BooleanField(
        _("sacred or restricted by a source community"), default=False
    )
    sensitivity_cleared = models.BooleanField(
        _("cleared for public channels"),
        default=False,
        help_text=_("A curator has cleared this sensitive object for public display."),
    )
    sensitivity_note = models.TextField(_("sensitivity note (internal)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObjectRecordQuerySet.as_manager()

    search_fields = [
        index.SearchField("inventory_number", boost=3),
        index.AutocompleteField("inventory_number"),
        index.SearchField("object_type"),
        index.RelatedFields(
            "texts", [index.SearchField("title", boost=2), index.SearchField("description")]
        ),
        index.FilterField("lender_id"),
        index.FilterField("is_published"),
    ]

    class Meta:
        ordering = ["inventory_number"]
        verbose_name = _("object")
        verbose_name_plural = _("objects")
        permissions = [
            ("clear_sensitive_object", "Can clear sensitive objects for public channels")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["inventory_number"],
                condition=Q(lender__isnull=True),
                name="object_inventory_unique_in_own_collection",
                violation_error_message=_(
                    "The collection already has an object with this inventory number."
                ),
            ),
            models.UniqueConstraint(
                fields=["lender", "inventory_number"],
                name="object_inventory_unique_per_lender",
                violation_error_message=_(
                    "This lender already has an object with this inventory number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(earliest_year__isnull=True)
                | Q(latest_year__isnull=True)
                | Q(earliest_year__lte=models.F("latest_year")),
                name="object_year_range_ordered",
                violation_error_message=_("The earliest year must not be after the latest year."),
            ),
        ]

    def __str__(self):
        return f"{self.inventory_number} {self.title}".strip()

    def clean(self):
        super().clean()
        if (
            self.earliest_year is not None
            and self.latest_year is not None
            and self.earliest_year > self.latest_year
        ):
            raise ValidationError(
                {"latest_year": _("The earliest year must not be after the latest year.")}
            )

    @property
    def is_on_loan(self) -> bool:
        return self.lender_id is not None

    @property
    def is_sensitive(self) -> bool:
        return self.contains_human_remains or self.restricted_by_community

    def get_absolute_url(self):
        return reverse("collection:object", args=[self.pk])

    def text_for(self, language: str | None = None) -> "ObjectText | None":
        """The text in ``language`` (default: the active one), else the site's default, else any."""
        texts = {text.locale.language_code: text for text in self.texts.all()}
        for code in (language or get_language(), settings.LANGUAGE_CODE):
            if code in texts:
                return texts[code]
        return next(iter(texts.values()), None)

    @property
    def title(self) -> str:
        text = self.text_for()
        return text.title if text else ""


class ObjectText(models.Model):
    """The translatable texts of an object in one locale."""

    object = ParentalKey(ObjectRecord, on_delete=models.CASCADE, related_name="texts")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    title = models.CharField(_("title"), max_length=500)
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    label = models.TextField(_("label text"), blank=True)
    credit_line = models.CharField(_("credit line"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        constraints = [
            models.UniqueConstraint(fields=["object", "locale"], name="object_text_one_per_locale")
        ]

    def __str__(self):
        return self.title


class ObjectPlace(Orderable):
    class Role(models.TextChoices):
        MADE = "made", _("made")
        USED = "used", _("used")
        COLLECTED = "collected", _("collected")
        FOUND = "found", _("found")

    object = ParentalKey(ObjectRecord, on_delete=models.CASCADE, related_name="places")
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MADE)

    class Meta(Orderable.Meta):
        verbose_name = _("place")


class ObjectImageQuerySet(VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> Q:
        """Images of visible objects; on the web only where rights and the lender allow."""
        from collection.models.loans import LoanAgreement, confirmed_loan_q

        visible_objects = ObjectRecord.objects.visible_in(channel, on=on).values("pk")
        q = Q(object__in=visible_objects)
        if channel.is_web:
            online_loans = LoanAgreement.objects.filter(
                confirmed_loan_q(),
                loaned_objects=OuterRef("object_id"),
                online_publication_allowed=True,
            )
            q &= Q(image__may_publish_online=True) & (
                Q(object__lender__isnull=True) | Exists(online_loans)
            )
        return q


class ObjectImage(Orderable):
    object = ParentalKey(ObjectRecord, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        MuseumImage, on_delete=models.PROTECT, related_name="+", verbose_name=_("image")
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    objects = ObjectImageQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class ObjectDimension(Orderable):
    """One measurement: what was measured, the value and its unit."""

    class Kind(models.TextChoices):
        HEIGHT = "height", _("height")
        WIDTH = "width", _("width")
        DEPTH = "depth", _("depth")
        LENGTH = "length", _("length")
        DIAMETER = "diameter", _("diameter")
        WEIGHT = "weight", _("weight")

    class Unit(models.TextChoices):
        MM = "mm", "mm"
        CM = "cm", "cm"
        M = "m", "m"
        G = "g", "g"
        KG = "kg", "kg"

    LENGTH_UNITS = {Unit.MM, Unit.CM, Unit.M}

    object = ParentalKey(ObjectRecord, on_delete=models.CASCADE, related_name="dimensions")
    kind = models.CharField(_("measured"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(
        _("value"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=4, choices=Unit.choices, default=Unit.CM)
    note = models.CharField(_("note"), max_length=255, blank=True, help_text=_("e.g. 'with stand'"))

    class Meta(Orderable.Meta):
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def clean(self):
        super().clean()
        is_weight = self.kind == self.Kind.WEIGHT
        if self.unit and is_weight == (self.unit in self.LENGTH_UNITS):
            raise ValidationError(
                {"unit": _("Use g or kg for a weight and mm, cm or m for a length.")}
            )

    def __str__(self):
        value = f"{self.value.normalize():f}"
        return f"{self.get_kind_display()} {value} {self.unit}" + (
            f" ({self.note})" if self.note else ""
        )


class ProvenanceEvent(Orderable):
    """One step in how an object moved: made, collected, looted, sold, restituted, …"""

    class Kind(models.TextChoices):
        MADE = "made", _("made")
        COLLECTED = "collected", _("collected")
        ACQUIRED = "acquired", _("acquired")
        LOOTED = "looted", _("looted or stolen")
        SOLD = "sold", _("sold")
        TRANSFERRED = "transferred", _("transferred")
        LENT = "lent", _("lent")
        RESTITUTED = "restituted", _("restituted")

    object = ParentalKey(ObjectRecord, on_delete=models.CASCADE, related_name="provenance")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    date_text = models.CharField(_("date as displayed"), max_length=100, blank=True)
    earliest_year = models.IntegerField(_("earliest year"), null=True, blank=True)
    latest_year = models.IntegerField(_("latest year"), null=True, blank=True)
    parties = models.CharField(
        _("parties"),
        max_length=500,
        blank=True,
        help_text=_("Public: who gave, took, sold or received."),
    )
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("place"),
    )
    source = models.CharField(_("source citation"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("provenance event")
        verbose_name_plural = _("provenance")

    def clean(self):
        super().clean()
        if (
            self.earliest_year is not None
            and self.latest_year is not None
            and self.earliest_year > self.latest_year
        ):
            raise ValidationError(
                {"latest_year": _("The earliest year must not be after the latest year.")}
            )
