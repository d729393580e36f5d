"""Voices: the people who speak in the exhibition, by the name they chose to be shown with.

A voice's public fields hold a display name (usually a pseudonym), a role and where they speak
from. Who they really are, if the museum keeps that at all, is in :class:`VoiceIdentity`: a
separate model, encrypted at rest, that no public path reads.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from stories.crypto import decrypt, encrypt
from visibility.channels import Channel
from visibility.querysets import VisibleQuerySet
from visibility.validators import validate_country_code, validate_language_codes


class VoiceQuerySet(VisibleQuerySet):
    def visibility_q(self, channel: Channel, on: datetime.date) -> models.Q:
        """A voice is shown where a voice-wide consent covers the channel on that date."""
        from stories.models.consent import Consent

        covering = Consent.objects.filter(voice=OuterRef("pk"), testimony__isnull=True).filter(
            Consent.covers_q(channel, on)
        )
        return models.Q(Exists(covering)) & local_voice_q(channel)


def local_voice_q(channel: Channel, prefix: str = "") -> models.Q:
    """A venue's local partner voice appears only in that venue's show, kiosks, package and
    labels (and on the web, where consent decides); other venues never show it."""
    if channel.is_web:
        return models.Q()
    return models.Q(**{f"{prefix}local_venue__isnull": True}) | models.Q(
        **{f"{prefix}local_venue": channel.venue.pk}
    )


class Voice(models.Model):
    class Role(models.TextChoices):
        SURVIVOR = "survivor", _("survivor")
        RELATIVE = "relative", _("relative")
        NGO_WORKER = "ngo_worker", _("NGO worker")
        SOCIAL_WORKER = "social_worker", _("social worker")
        POLICE = "police", _("police officer")
        PROSECUTOR = "prosecutor", _("prosecutor")
        RESEARCHER = "researcher", _("researcher")
        CURATOR = "curator", _("curator")
        ARTIST = "artist", _("artist")
        VISITOR = "visitor", _("visitor")
        OTHER = "other", _("other")

    display_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_("The name shown publicly; usually a pseudonym the person chose."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2 code, e.g. SE; leave empty to show none."),
    )
    language_codes = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("The languages this voice speaks in, as BCP 47 codes, e.g. 'sv, ar'."),
    )
    portrait = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown only while the voice's consent covers a portrait."),
    )
    local_venue = models.ForeignKey(
        "exhibition.Venue",
        verbose_name=_("local partner of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_voices",
        help_text=_(
            "A local addition of one touring venue (e.g. a partner organisation there): shown "
            "only at that venue, never in other venues' shows or packages. Leave empty for a "
            "voice of the whole exhibition."
        ),
    )
    is_fictional_demo = models.BooleanField(
        _("fictional demo content"),
        default=False,
        help_text=_("Set on invented demo voices so nobody mistakes them for real people."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("voice")
        verbose_name_plural = _("voices")
        ordering = ["display_name", "pk"]

    def __str__(self):
        suffix = " (demo)" if self.is_fictional_demo and "demo" not in self.display_name else ""
        return f"{self.display_name}{suffix}"

    @property
    def languages(self) -> list[str]:
        return [code.strip() for code in self.language_codes.split(",") if code.strip()]


class VoiceIdentity(models.Model):
    """Who a voice really is and how to reach them: encrypted, for ethics reviewers only.

    Keep as little as the work needs; leave it out entirely where nobody needs to contact the
    person again. Every read and change is written to the audit log by the admin views
    (``stories/identity_views.py``); no public code imports this model.
    """

    voice = models.OneToOneField(Voice, on_delete=models.CASCADE, related_name="identity")
    real_name_encrypted = models.BinaryField(editable=False, default=b"")
    contact_encrypted = models.BinaryField(editable=False, default=b"")
    notes_encrypted = models.BinaryField(editable=False, default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("real identity")
        verbose_name_plural = _("real identities")
        default_permissions = ()
        permissions = [
            ("view_identity", _("Can see the real identity and contact of a voice")),
            ("change_identity", _("Can record or change the real identity of a voice")),
        ]

    def __str__(self):
        return f"Identity of voice {self.voice_id}"

    # Decrypted values are properties, never fields, so nothing (forms, serializers, logs,
    # fixtures) can pick them up by iterating over the model's fields.
    @property
    def real_name(self) -> str:
        return decrypt(self.real_name_encrypted)

    @real_name.setter
    def real_name(self, value: str) -> None:
        self.real_name_encrypted = encrypt(value)

    @property
    def contact(self) -> str:
        return decrypt(self.contact_encrypted)

    @contact.setter
    def contact(self, value: str) -> None:
        self.contact_encrypted = encrypt(value)

    @property
    def notes(self) -> str:
        return decrypt(self.notes_encrypted)

    @notes.setter
    def notes(self, value: str) -> None:
        self.notes_encrypted = encrypt(value)
