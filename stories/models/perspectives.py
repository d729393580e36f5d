"""Perspectives: one question, several voices, the disagreement shown openly.

Each position belongs to a voice and may support or contest another voice in the same
perspective. A perspective needs at least two different voices; on a channel it is shown only
while at least two of its voices are visible there (a withdrawn voice can leave a perspective
with one voice, which then disappears rather than shows a one-sided "debate").
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin, WorkflowMixin

from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet

MINIMUM_VOICES = 2


class PerspectiveQuerySet(VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        from stories.models.voices import Voice

        visible_voices = (
            Position.objects.filter(
                perspective=OuterRef("pk"),
                voice__in=Voice.objects.visible_in(channel, on=on).values("pk"),
            )
            .order_by()
            .values("perspective")
            .annotate(voices=Count("voice", distinct=True))
            .values("voices")
        )
        return models.Q(live=True) & models.Q(
            GreaterThanOrEqual(Coalesce(Subquery(visible_voices), 0), MINIMUM_VOICES)
        )


class Perspective(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    themes = ParentalManyToManyField("stories.Theme", blank=True, verbose_name=_("themes"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PerspectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")
        ordering = ["-created_at", "pk"]
        # Declared here (Wagtail would add them after migrations) so the role migration can
        # give publishing to ethics reviewers alone.
        permissions = [
            ("publish_perspective", "Can publish perspective"),
            ("lock_perspective", "Can lock perspective"),
            ("unlock_perspective", "Can unlock perspective"),
        ]

    def __str__(self):
        first = self.texts.first() if self.pk else None
        return first.question if first else self.slug

    def clean(self):
        super().clean()
        voices = {position.voice_id for position in self.positions.all() if position.voice_id}
        if len(voices) < MINIMUM_VOICES:
            raise ValidationError(
                _("A perspective needs positions from at least two different voices.")
            )


class PerspectiveText(models.Model):
    perspective = ParentalKey(Perspective, on_delete=models.CASCADE, related_name="texts")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    question = models.CharField(_("question"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        constraints = [
            models.UniqueConstraint(
                fields=["perspective", "locale"], name="perspective_text_one_per_locale"
            )
        ]

    def __str__(self):
        return self.question


class Position(Orderable):
    """What one voice holds, in one language. A voice's position in several languages is
    several rows with the same voice."""

    class Stance(models.TextChoices):
        OPENS = "opens", _("opens the question")
        SUPPORTS = "supports", _("supports")
        CONTESTS = "contests", _("contests")
        NUANCES = "nuances", _("adds a nuance to")

    perspective = ParentalKey(Perspective, on_delete=models.CASCADE, related_name="positions")
    voice = models.ForeignKey(
        "stories.Voice", on_delete=models.PROTECT, related_name="positions", verbose_name=_("voice")
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    statement = models.TextField(_("statement"))
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, default=Stance.OPENS
    )
    responds_to = models.ForeignKey(
        "stories.Voice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responds to"),
        help_text=_("The voice this position supports, contests or nuances."),
    )
    testimony = models.ForeignKey(
        "stories.Testimony",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from testimony"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return self.statement[:60]

    def clean(self):
        if self.stance != self.Stance.OPENS and not self.responds_to_id:
            raise ValidationError(
                {"responds_to": _("Say which voice this position supports, contests or nuances.")}
            )
        if self.responds_to_id and self.responds_to_id == self.voice_id:
            raise ValidationError({"responds_to": _("A voice does not answer itself.")})
