import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PackageStorage(FileSystemStorage):
    """Package archives live outside MEDIA_ROOT: only the venue API (with a token) and staff
    downloads serve them. ``PACKAGE_ROOT`` is read at each use, so tests and operators can
    move it."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PACKAGE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Package archives have no public URL.")


_package_storage = PackageStorage()


def package_storage() -> FileSystemStorage:
    """The storage of package archives (a callable, so migrations do not record a path)."""
    return _package_storage


class PackageVersionQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(status=PackageVersion.Status.READY)

    def current(self):
        """Ready packages that the museum has not revoked as a whole."""
        return self.ready().filter(revoked_at__isnull=True)

    def for_venue(self, venue):
        return self.filter(venue=venue)


class PackageVersion(models.Model):
    """One built content package for one venue: a signed zip, numbered per venue."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("building")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    venue = models.ForeignKey(
        "exhibition.Venue",
        on_delete=models.PROTECT,
        related_name="package_versions",
        verbose_name=_("venue"),
    )
    number = models.PositiveIntegerField(_("version"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent version"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress message"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    archive = models.FileField(
        _("archive"), storage=package_storage, upload_to="archives/", blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    report = models.JSONField(
        _("build report"),
        default=dict,
        blank=True,
        help_text=_("What was left out and why, and what is untranslated."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)

    objects = PackageVersionQuerySet.as_manager()

    class Meta:
        ordering = ["venue", "-number"]
        verbose_name = _("content package")
        verbose_name_plural = _("content packages")
        constraints = [
            models.UniqueConstraint(fields=["venue", "number"], name="package_version_per_venue")
        ]
        get_latest_by = "number"
        permissions = [
            ("build_package", "Can build content packages"),
            ("download_package", "Can download content packages"),
            ("revoke_package", "Can revoke content packages"),
        ]

    def __str__(self):
        return f"{self.venue.slug} v{self.number}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
