"""Business operations on packages, as named actions (STYLE.md): permission, do, log."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from touring.models import PackageVersion

logger = logging.getLogger(__name__)

BUILD_PERMISSION = "touring.build_package"
DOWNLOAD_PERMISSION = "touring.download_package"
REVOKE_PERMISSION = "touring.revoke_package"
VIEW_PERMISSION = "touring.view_packageversion"


def can_see_packages(user) -> bool:
    return any(
        user.has_perm(p)
        for p in (VIEW_PERMISSION, BUILD_PERMISSION, DOWNLOAD_PERMISSION, REVOKE_PERMISSION)
    )


class QueueBuild:
    """Queue the next package version of a venue and start its background build."""

    def __init__(self, venue, *, user):
        self.venue, self.user = venue, user

    def execute(self) -> PackageVersion:
        if not self.user.has_perm(BUILD_PERMISSION):
            raise PermissionDenied
        from touring.builder import queue_version
        from touring.tasks import build_package_task

        version = queue_version(self.venue)
        transaction.on_commit(lambda: build_package_task.enqueue(version.pk))
        logger.info("Package %s queued by %s", version, self.user)
        return version


class RevokePackage:
    """Revoke a whole package: venues stop showing its consent-bound content at once and the
    venue API stops offering it."""

    def __init__(self, version: PackageVersion, *, user, reason: str):
        self.version, self.user, self.reason = version, user, (reason or "").strip()

    def execute(self) -> PackageVersion:
        if not self.user.has_perm(REVOKE_PERMISSION):
            raise PermissionDenied
        if not self.reason:
            raise ValidationError(_("Give a reason for revoking the package."))
        if self.version.is_revoked:
            raise ValidationError(_("This package is already revoked."))
        self.version.revoked_at = timezone.now()
        self.version.revoked_reason = self.reason[:255]
        self.version.save(update_fields=["revoked_at", "revoked_reason"])
        logger.info("Package %s revoked by %s: %s", self.version, self.user, self.reason)
        return self.version
