"""API tokens of touring venues: one venue each, stored hashed, revocable.

A token reads ``<prefix>.<secret>``. The prefix finds the row; only the SHA-256 of the secret is
stored, so neither the database nor a backup of it can be used to call the API. The secret is
high-entropy (``secrets.token_urlsafe``), which is why a plain hash is enough here (no salt or
slow hash: there is nothing to guess from a dictionary).
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MANAGE_PERMISSION = "venue_api.manage_venueapitoken"
PREFIX_BYTES = 6  # 8 URL-safe characters
SECRET_BYTES = 32
# last_used_at is written at most this often per token: every request would be a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class VenueApiTokenQuerySet(models.QuerySet):
    def active(self, on: datetime.datetime | None = None):
        """Tokens that are neither revoked nor expired at ``on`` (default: now)."""
        on = on or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=on)
        )


class VenueApiToken(models.Model):
    """A bearer token that lets one venue's `venue_sync` pull that venue's packages."""

    venue = models.ForeignKey(
        "exhibition.Venue",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("venue"),
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("What uses the token, e.g. 'kiosk server, room 2'.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Leave empty for no expiry.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = VenueApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["venue", "-created_at"]
        verbose_name = _("venue API token")
        verbose_name_plural = _("venue API tokens")
        default_permissions = ()
        permissions = [("manage_venueapitoken", _("Can create and revoke venue API tokens"))]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, venue, name: str, *, created_by=None, expires_at=None):
        """Create a token; return it with its plain text, which is never stored anywhere."""
        secret = secrets.token_urlsafe(SECRET_BYTES)
        while True:
            prefix = secrets.token_urlsafe(PREFIX_BYTES)
            # No dot (the separator) and no leading dash (a command line would read an option).
            if (
                "." not in prefix
                and not prefix.startswith("-")
                and not cls.objects.filter(prefix=prefix).exists()
            ):
                break
        token = cls.objects.create(
            venue=venue,
            name=name,
            prefix=prefix,
            secret_hash=hash_secret(secret),
            created_by=created_by,
            expires_at=expires_at,
        )
        return token, f"{prefix}.{secret}"

    @classmethod
    def authenticate(cls, value: str):
        """The active token whose plain text is ``value``, or None (for every kind of wrong)."""
        value = (value or "").strip()
        prefix, dot, secret = value.partition(".")
        if not dot or not prefix or not secret or len(value) > 200:
            return None
        token = cls.objects.active().select_related("venue").filter(prefix=prefix).first()
        # Compare even when no row matched, so timing says nothing about which prefixes exist.
        expected = token.secret_hash if token else hash_secret("")
        if not hmac.compare_digest(expected, hash_secret(secret)) or token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return str(_("revoked"))
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("active"))

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
