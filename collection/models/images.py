import datetime

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wagtail.images.models import AbstractImage, AbstractRendition, ImageQuerySet
from wagtail.images.models import Image as WagtailImage

from collection.rights import RIGHTS_CHOICES, normalise_rights_uri, validate_rights_uri
from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet


class MuseumImageQuerySet(ImageQuerySet, VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """An image not attached to any object follows its own online flag on the web; an
        object's image follows the object's (and its loan's) rules as well."""
        from collection.models.objects import ObjectImage

        attached = ObjectImage.objects.filter(image=OuterRef("pk"))
        visible = ObjectImage.objects.visible_in(channel, on=on).filter(image=OuterRef("pk"))
        q = ~Exists(attached) | Exists(visible)
        if channel.is_web:
            q &= models.Q(may_publish_online=True)
        return q


class MuseumImage(AbstractImage):
    """An image with the rights and online limits a lender or rights holder sets.

    ``may_publish_online`` and ``max_online_size`` are enforced by every web output (the
    IIIF image server, renditions on public pages); physical venues and print follow the
    loan agreement instead.
    """

    rights_statement = models.CharField(
        _("rights statement"),
        max_length=255,
        blank=True,
        choices=RIGHTS_CHOICES,
        validators=[validate_rights_uri],
        help_text=_("A rightsstatements.org or Creative Commons URI."),
    )
    credit_line = models.CharField(_("credit line"), max_length=500, blank=True)
    photographer = models.CharField(_("photographer"), max_length=255, blank=True)
    may_publish_online = models.BooleanField(
        _("may be published online"),
        default=False,
        help_text=_("Only images the rights holder and lender allow online appear on the web."),
    )
    max_online_size = models.PositiveIntegerField(
        _("largest size allowed online (pixels)"),
        null=True,
        blank=True,
        help_text=_("The longest side in pixels that may be served online; empty for no limit."),
    )

    # The master file name (``file.name``) that the IIIF pyramid was last built from; the
    # pyramid is used only while it still names the present master (collection/iiif/pyramid.py).
    pyramid_source = models.CharField(max_length=255, blank=True, default="", editable=False)

    objects = MuseumImageQuerySet.as_manager()

    admin_form_fields = (
        *WagtailImage.admin_form_fields,
        "rights_statement",
        "credit_line",
        "photographer",
        "may_publish_online",
        "max_online_size",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_online_size__isnull=True) | models.Q(max_online_size__gt=0),
                name="image_max_online_size_positive",
            )
        ]

    def clean(self):
        super().clean()
        if self.rights_statement:
            self.rights_statement = normalise_rights_uri(self.rights_statement)

    def online_size_limit(self) -> int | None:
        """The longest side the web may show: None when unlimited, 0 when not online at all."""
        if not self.may_publish_online:
            return 0
        return self.max_online_size


class MuseumRendition(AbstractRendition):
    image = models.ForeignKey(MuseumImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
