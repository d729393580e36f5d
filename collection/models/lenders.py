from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index


class Lender(index.Indexed, models.Model):
    """An institution or private person that lends objects to the exhibition.

    Contact details and an anonymous lender's name are confidential: public output uses
    :attr:`public_name` only.
    """

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("institution")
        PRIVATE = "private", _("private person")

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.INSTITUTION
    )
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Shown publicly as 'Private collection' and nothing else."),
    )
    # Confidential: never in public output.
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("internal notes"), blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("lender")
        verbose_name_plural = _("lenders")
        permissions = [("view_lender_contact", "Can see and edit lenders' contact details")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.is_anonymous and self.kind != self.Kind.PRIVATE:
            raise ValidationError({"is_anonymous": _("Only a private lender can be anonymous.")})

    @property
    def public_name(self) -> str:
        """The only name public output may show."""
        return str(_("Private collection")) if self.is_anonymous else self.name
