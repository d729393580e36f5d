"""Testimonies: what a voice says, with its texts per language, media, transcripts and links
to objects in the collection.

A testimony is a snippet with drafts, revisions, locking and a workflow: it is published only
through the "Ethics review" workflow (curators may submit, only ethics reviewers may publish;
see the data migration that sets this up).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)

from stories.webvtt import validate_webvtt
from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet

REGION_RE = re.compile(r"^\d+,\d+,\d+,\d+$")


class ContentNote(models.TextChoices):
    SEXUAL_VIOLENCE = "sexual_violence", _("sexual violence")
    VIOLENCE = "violence", _("violence")
    VIOLENCE_AGAINST_CHILDREN = "violence_against_children", _("violence against children")
    SUICIDE = "suicide", _("suicide")
    SELF_HARM = "self_harm", _("self-harm")
    DEATH = "death", _("death")
    COERCION = "coercion", _("coercion and threats")
    SUBSTANCE_ABUSE = "substance_abuse", _("substance abuse")


class Theme(TranslatableMixin, models.Model):
    """A theme that testimonies, perspectives and (later) rooms share."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TestimonyQuerySet(VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """Published (through ethics review), its voice's consent covers the channel, and every
        consent recorded for this testimony alone covers it too."""
        from stories.models.consent import Consent
        from stories.models.voices import local_voice_q

        voice_consent = Consent.objects.filter(
            voice=OuterRef("voice_id"), testimony__isnull=True
        ).filter(Consent.covers_q(channel, on))
        narrower_not_covering = Consent.objects.filter(testimony=OuterRef("pk")).exclude(
            Consent.covers_q(channel, on)
        )
        return (
            models.Q(live=True)
            & models.Q(Exists(voice_consent))
            & ~models.Q(Exists(narrower_not_covering))
            & local_voice_q(channel, "voice__")
        )

    def suitable_for_age(self, age: int):
        return self.filter(minimum_age__lte=age)


class Testimony(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    class MediaKind(models.TextChoices):
        NONE = "", _("no recording")
        AUDIO = "audio", _("audio")
        VIDEO = "video", _("video")

    class Age(models.IntegerChoices):
        ALL = 0, _("all ages")
        TWELVE = 12, _("12 and over")
        FIFTEEN = 15, _("15 and over")
        ADULTS = 18, _("adults only")

    voice = models.ForeignKey(
        "stories.Voice",
        on_delete=models.PROTECT,
        related_name="testimonies",
        verbose_name=_("voice"),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    themes = ParentalManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    content_notes = models.JSONField(
        _("content notes"),
        default=list,
        blank=True,
        help_text=_("Shown before the testimony, which stays hidden until the visitor chooses."),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("age suitability"),
        choices=Age.choices,
        default=Age.FIFTEEN,
        help_text=_("The youngest school visitors this testimony suits."),
    )
    media_kind = models.CharField(
        _("recording"), max_length=5, choices=MediaKind.choices, blank=True, default=""
    )
    media_file = models.FileField(
        _("recording file"),
        upload_to="testimonies/media/",
        blank=True,
        max_length=300,
        help_text=_("Audio (MP3, Ogg, WebM, M4A) or video (MP4, WebM)."),
    )
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TestimonyQuerySet.as_manager()

    class Meta:
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        ordering = ["-created_at", "pk"]
        # Declared here (Wagtail would add them after migrations) so the role migration can
        # give publishing to ethics reviewers alone.
        permissions = [
            ("publish_testimony", "Can publish testimony"),
            ("lock_testimony", "Can lock testimony"),
            ("unlock_testimony", "Can unlock testimony"),
        ]

    def __str__(self):
        first = self.texts.first() if self.pk else None
        return first.title if first else self.slug

    def clean(self):
        super().clean()
        unknown = set(self.content_notes or []) - set(ContentNote.values)
        if unknown:
            raise ValidationError({"content_notes": _("Unknown content notes.")})
        if self.media_file and not self.media_kind:
            raise ValidationError({"media_kind": _("Say whether the recording is audio or video.")})

    def get_content_notes_display(self) -> list[str]:
        labels = dict(ContentNote.choices)
        return [str(labels[note]) for note in self.content_notes if note in labels]


class TestimonyText(models.Model):
    """The testimony's texts in one language."""

    testimony = ParentalKey(Testimony, on_delete=models.CASCADE, related_name="texts")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    title = models.CharField(_("title"), max_length=255)
    body = RichTextField(_("text"), features=["bold", "italic", "ol", "ul", "blockquote"])
    easy_read_summary = models.TextField(
        _("easy-to-read summary"),
        blank=True,
        help_text=_("Short sentences, everyday words; for school visits and easy reading."),
    )

    class Meta:
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "locale"], name="testimony_text_one_per_locale"
            )
        ]

    def __str__(self):
        return self.title


class PullQuote(Orderable):
    testimony = ParentalKey(Testimony, on_delete=models.CASCADE, related_name="pull_quotes")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    text = models.CharField(_("quote"), max_length=400)

    class Meta(Orderable.Meta):
        verbose_name = _("pull quote")
        verbose_name_plural = _("pull quotes")

    def __str__(self):
        return self.text


class MediaTrack(models.Model):
    """A WebVTT transcript or caption track of the recording, in one language."""

    class Kind(models.TextChoices):
        CAPTIONS = "captions", _("captions")
        SUBTITLES = "subtitles", _("subtitles")
        DESCRIPTIONS = "descriptions", _("audio descriptions")

    testimony = ParentalKey(Testimony, on_delete=models.CASCADE, related_name="tracks")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CAPTIONS)
    webvtt = models.TextField(
        _("WebVTT"),
        help_text=_("The track as WebVTT text."),
        validators=[validate_webvtt],
    )

    class Meta:
        verbose_name = _("transcript track")
        verbose_name_plural = _("transcript tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "locale", "kind"], name="media_track_one_per_locale_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.locale_id})"


class Segment(Orderable):
    """A time-coded part of a recording, as oral-history archives index them."""

    testimony = ParentalKey(Testimony, on_delete=models.CASCADE, related_name="segments")
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    start_seconds = models.FloatField(_("starts at (seconds)"))
    end_seconds = models.FloatField(_("ends at (seconds)"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_seconds is not None and self.start_seconds < 0:
            raise ValidationError({"start_seconds": _("A segment cannot start before zero.")})
        if (
            self.start_seconds is not None
            and self.end_seconds is not None
            and self.end_seconds <= self.start_seconds
        ):
            raise ValidationError({"end_seconds": _("A segment ends after it starts.")})


class TestimonyObject(Orderable):
    """An object the testimony speaks about, optionally a region of one of its images
    (``x,y,w,h`` in the image's pixels), which becomes a IIIF annotation on that image."""

    testimony = ParentalKey(Testimony, on_delete=models.CASCADE, related_name="object_links")
    object = models.ForeignKey(
        "collection.ObjectRecord",
        on_delete=models.CASCADE,
        related_name="testimony_links",
        verbose_name=_("object"),
    )
    object_image = models.ForeignKey(
        "collection.ObjectImage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    region = models.CharField(
        _("image region"),
        max_length=60,
        blank=True,
        help_text=_("x,y,w,h in pixels of the image, e.g. 1200,300,800,600."),
    )
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("What the voice says about this object or region.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("linked object")
        verbose_name_plural = _("linked objects")

    def clean(self):
        if self.region and not REGION_RE.match(self.region):
            raise ValidationError({"region": _("Write the region as x,y,w,h in whole pixels.")})
        if self.region and not self.object_image_id:
            raise ValidationError({"object_image": _("Choose the image the region is on.")})
        if self.object_image_id and self.object_image.object_id != self.object_id:
            raise ValidationError({"object_image": _("This image belongs to another object.")})
        if self.region and self.object_image_id:
            x, y, w, h = (int(part) for part in self.region.split(","))
            image = self.object_image.image
            if w == 0 or h == 0 or x + w > image.width or y + h > image.height:
                raise ValidationError(
                    {"region": _("The region must lie inside the image and not be empty.")}
                )
