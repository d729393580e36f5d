"""Consent as a ledger.

Every grant, change, renewal, expiry and withdrawal is an appended :class:`ConsentEvent`
(who, when, what changed, on what basis, the full scope after it). Events are never changed
or deleted. :class:`Consent` carries the current scope as a *projection* of its events,
recomputed from the whole ledger on every event (:meth:`Consent.record`), so queries can
filter on it; nothing else writes those columns.

How a scope maps to channels (the one place these rules live, :meth:`Consent.covers_q`):

- ``WEB`` needs the web channel, and consent for every country: the web cannot be limited to
  a country (and the site does not look up where visitors are), so a consent limited to some
  countries never reaches the web.
- ``VENUE(v)`` needs the physical exhibition, and, at a touring venue (any venue but the home
  museum), touring packages and kiosks too; and the venue's country.
- ``PRINT(v)`` needs print, and the venue's country.
- Always: not withdrawn, and the expiry date (if any) not reached on the channel's date: it
  stops being valid *on* the day it expires.
"""

import dataclasses
import datetime
import json
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visibility.channels import Channel, ChannelKind
from visibility.validators import COUNTRY_CODE_RE, parse_language_codes, validate_language_codes


class RestrictedStorage(FileSystemStorage):
    """Files that must never be served as media (signed consent documents).

    They live under ``RESTRICTED_MEDIA_ROOT`` (read at each use, so tests and operators can
    move it), outside ``MEDIA_ROOT``, with no base URL; the admin serves them to ethics
    reviewers through a view that checks permission and logs.
    """

    def __init__(self):
        super().__init__(
            base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
        )

    @property
    def base_location(self):
        return settings.RESTRICTED_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Restricted files have no public URL.")


_restricted_storage = RestrictedStorage()


def restricted_storage() -> RestrictedStorage:
    """The storage of restricted files (a callable, so migrations do not record a path)."""
    return _restricted_storage


class Channels(models.TextChoices):
    WEB = "web", _("web")
    EXHIBITION = "exhibition", _("physical exhibition")
    TOURING = "touring", _("touring packages and offline kiosks")
    PRINT = "print", _("print")
    RESEARCH = "research", _("research")


@dataclasses.dataclass(frozen=True)
class ConsentScope:
    """What a consent covers. ``countries`` of ``("*",)`` means every country;
    ``languages`` empty means any language."""

    channels: frozenset[str] = frozenset()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    expires_on: datetime.date | None = None
    portrait: bool = False

    def __post_init__(self):
        unknown = set(self.channels) - set(Channels.values)
        if unknown:
            raise ValidationError(
                _("Unknown consent channels: %(channels)s."),
                params={"channels": ", ".join(sorted(unknown))},
            )
        if not self.channels:
            raise ValidationError(_("A consent covers at least one channel."))
        if not self.countries:
            raise ValidationError(_("Name the countries, or every country (*)."))
        if self.countries != ("*",):
            bad = [c for c in self.countries if c == "*" or not COUNTRY_CODE_RE.match(c)]
            if bad:
                raise ValidationError(
                    _("%(codes)s: not ISO 3166-1 alpha-2 country codes."),
                    params={"codes": ", ".join(bad)},
                )
        if self.languages:
            validate_language_codes(",".join(self.languages))

    @classmethod
    def parse(
        cls,
        *,
        channels,
        countries: str | list[str],
        languages: str | list[str] = "",
        expires_on=None,
        portrait=False,
    ):
        """A scope from form-like values: comma-separated texts or lists."""
        if isinstance(countries, str):
            countries = [c.strip().upper() for c in countries.split(",") if c.strip()]
        if isinstance(languages, str):
            languages = parse_language_codes(languages)
        if isinstance(expires_on, str):
            expires_on = datetime.date.fromisoformat(expires_on) if expires_on else None
        return cls(
            channels=frozenset(channels),
            countries=tuple(sorted(set(countries))) if "*" not in countries else ("*",),
            languages=tuple(languages),
            expires_on=expires_on,
            portrait=bool(portrait),
        )

    def as_json(self) -> dict:
        return {
            "channels": sorted(self.channels),
            "countries": list(self.countries),
            "languages": list(self.languages),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "portrait": self.portrait,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ConsentScope":
        return cls.parse(**data)


class Consent(models.Model):
    """One consent of a voice (``testimony`` empty) or, narrower, for one testimony.

    A testimony is shown only where its voice's consent covers the channel *and* every
    consent recorded for that testimony does too.
    """

    voice = models.ForeignKey(
        "stories.Voice", on_delete=models.PROTECT, related_name="consents", verbose_name=_("voice")
    )
    testimony = models.ForeignKey(
        "stories.Testimony",
        on_delete=models.PROTECT,
        related_name="consents",
        null=True,
        blank=True,
        verbose_name=_("testimony"),
        help_text=_("Leave empty for a consent that covers the voice and all its testimonies."),
    )
    # --- the projection of the ledger (written only by record()) --------------------------
    web = models.BooleanField(default=False, editable=False)
    exhibition = models.BooleanField(default=False, editable=False)
    touring = models.BooleanField(default=False, editable=False)
    print = models.BooleanField(default=False, editable=False)
    research = models.BooleanField(default=False, editable=False)
    all_countries = models.BooleanField(default=False, editable=False)
    # ",SE,NO," so one country is matched with a plain `contains` on every database.
    countries = models.CharField(max_length=800, blank=True, editable=False)
    languages = models.CharField(max_length=400, blank=True, editable=False)
    portrait = models.BooleanField(default=False, editable=False)
    expires_on = models.DateField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["voice", "pk"]
        default_permissions = ("view",)
        permissions = [
            ("record_consent", _("Can record, change and withdraw consent")),
            ("view_consent_document", _("Can open signed consent documents")),
        ]

    def __str__(self):
        target = f"testimony {self.testimony_id}" if self.testimony_id else "voice"
        return f"Consent {self.pk} ({target} of voice {self.voice_id})"

    # --- rules -------------------------------------------------------------------------------
    @staticmethod
    def covers_q(channel: Channel, on: datetime.date, prefix: str = "") -> models.Q:
        """Consents (fields under ``prefix``) that cover ``channel`` on date ``on``."""

        def field(name):
            return f"{prefix}{name}"

        q = models.Q(**{field("withdrawn_at__isnull"): True}) & (
            models.Q(**{field("expires_on__isnull"): True})
            | models.Q(**{field("expires_on__gt"): on})
        )
        if channel.kind is ChannelKind.WEB:
            return q & models.Q(**{field("web"): True, field("all_countries"): True})
        country = models.Q(**{field("all_countries"): True}) | models.Q(
            **{field("countries__contains"): f",{channel.venue.country},"}
        )
        if channel.kind is ChannelKind.PRINT:
            return q & country & models.Q(**{field("print"): True})
        q &= country & models.Q(**{field("exhibition"): True})
        if not channel.venue.is_home:
            q &= models.Q(**{field("touring"): True})
        return q

    def covers(self, channel: Channel, on: datetime.date | None = None) -> bool:
        on = on or channel.today()
        return Consent.objects.filter(pk=self.pk).filter(Consent.covers_q(channel, on)).exists()

    @property
    def scope(self) -> ConsentScope | None:
        latest = self.events.order_by("-sequence").first()
        if latest is None or latest.kind == ConsentEvent.Kind.WITHDRAWN:
            return None
        return ConsentScope.from_json(latest.state["scope"])

    @property
    def allowed_languages(self) -> list[str]:
        """Languages the testimony may be shown in; empty means any."""
        return [code for code in self.languages.split(",") if code]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    # --- the ledger --------------------------------------------------------------------------
    @classmethod
    def grant(cls, *, voice, scope: ConsentScope, by, basis: str, testimony=None, document=None):
        """A new consent with its first event."""
        with transaction.atomic():
            consent = cls.objects.create(voice=voice, testimony=testimony)
            consent.record(
                ConsentEvent.Kind.GRANTED, scope=scope, by=by, basis=basis, document=document
            )
        return consent

    def change(self, *, scope: ConsentScope, by, basis: str, document=None) -> "ConsentEvent":
        """A changed scope (narrower or wider, or a new expiry date: a renewal)."""
        return self.record(
            ConsentEvent.Kind.CHANGED, scope=scope, by=by, basis=basis, document=document
        )

    def withdraw(self, *, by, basis: str) -> "ConsentEvent":
        return self.record(ConsentEvent.Kind.WITHDRAWN, by=by, basis=basis)

    def record_expiry(self, on: datetime.date) -> "ConsentEvent | None":
        """Write the expiry into the ledger (the visibility rule needs no such event: it
        compares dates). Done by ``manage.py expire_consents``; idempotent."""
        if self.withdrawn_at or not self.expires_on or self.expires_on > on:
            return None
        if self.events.filter(kind=ConsentEvent.Kind.EXPIRED).exists():
            return None
        return self.record(
            ConsentEvent.Kind.EXPIRED,
            by=None,
            basis=f"Expiry date {self.expires_on.isoformat()} reached.",
        )

    def record(self, kind, *, by, basis: str, scope: ConsentScope | None = None, document=None):
        """Append one event and recompute the projection from the whole ledger."""
        basis = (basis or "").strip()
        if not basis:
            raise ValidationError(_("Say on what basis (e.g. the signed form, a phone call)."))
        with transaction.atomic():
            locked = Consent.objects.select_for_update().get(pk=self.pk)
            previous = locked.events.order_by("-sequence").first()
            if previous and previous.kind == ConsentEvent.Kind.WITHDRAWN:
                raise ValidationError(
                    _("This consent was withdrawn. A new consent is a new grant, not a change.")
                )
            if kind in (ConsentEvent.Kind.GRANTED, ConsentEvent.Kind.CHANGED):
                if scope is None:
                    raise ValidationError(_("A grant or change states the scope."))
                if kind == ConsentEvent.Kind.GRANTED and previous is not None:
                    raise ValidationError(_("This consent was granted already."))
                if kind == ConsentEvent.Kind.CHANGED and previous is None:
                    raise ValidationError(_("Grant a consent before changing it."))
            elif scope is not None:
                raise ValidationError(_("Only a grant or a change sets a scope."))
            before = previous.state["scope"] if previous else None
            after = scope.as_json() if scope else before
            event = ConsentEvent(
                consent=locked,
                sequence=(previous.sequence + 1) if previous else 1,
                kind=kind,
                by=by,
                basis=basis,
                state={"scope": after, "withdrawn": kind == ConsentEvent.Kind.WITHDRAWN},
                changes=_diff(before, after),
            )
            if document:
                event.document = document
            event.save()
            locked.project()
            self.refresh_from_db()
        from stories.signals import consent_changed

        consent_changed.send(sender=Consent, consent=self, event=event)
        return event

    def project(self) -> None:
        """Recompute the current state by folding the ledger from the first event."""
        scope, withdrawn_at = None, None
        for event in self.events.order_by("sequence"):
            if event.kind in (ConsentEvent.Kind.GRANTED, ConsentEvent.Kind.CHANGED):
                scope = ConsentScope.from_json(event.state["scope"])
            elif event.kind == ConsentEvent.Kind.WITHDRAWN:
                withdrawn_at = event.at
        values = {"withdrawn_at": withdrawn_at}
        channels = scope.channels if scope else frozenset()
        for name in Channels.values:
            values[name] = name in channels
        values["all_countries"] = bool(scope and scope.countries == ("*",))
        countries = scope.countries if scope and scope.countries != ("*",) else ()
        values["countries"] = f",{','.join(countries)}," if countries else ""
        values["languages"] = ",".join(scope.languages) if scope else ""
        values["portrait"] = bool(scope and scope.portrait)
        values["expires_on"] = scope.expires_on if scope else None
        Consent.objects.filter(pk=self.pk).update(**values)


def _diff(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


class ConsentEvent(models.Model):
    """One entry in a consent's ledger. Append-only: saving an existing event or deleting one
    raises."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("granted")
        CHANGED = "changed", _("changed")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for events the system records (expiry)."),
    )
    basis = models.TextField(help_text=_("On what basis: the signed form, a call, a letter…"))
    state = models.JSONField(encoder=None)
    changes = models.JSONField(default=dict)
    document = models.FileField(
        storage=restricted_storage, upload_to="consent/%Y/%m/", blank=True, max_length=300
    )

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["consent", "sequence"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "sequence"], name="consent_event_sequence_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.sequence} of consent {self.consent_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise ValidationError("Consent events are append-only; record a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Consent events are append-only and are never deleted.")

    def summary(self) -> str:
        return json.dumps(self.changes, ensure_ascii=False)


class RevokedItem(models.Model):
    """Public ids that must disappear from every venue: the revocation list each venue gets
    at its next sync. Append-only like the ledger."""

    kind = models.CharField(max_length=40)  # e.g. "testimony", "voice", "perspective"
    public_id = models.CharField(max_length=120)
    revoked_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=40)  # "withdrawn" or "expired"

    class Meta:
        verbose_name = _("revoked item")
        verbose_name_plural = _("revoked items")
        ordering = ["revoked_at", "pk"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["kind", "public_id"], name="revoked_item_unique")
        ]

    def __str__(self):
        return f"{self.kind}:{self.public_id}"
