"""Package builds as background tasks (Django's tasks framework), as collection/iiif does."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def build_package_task(version_pk: int) -> str:
    """Fill the queued package version ``version_pk``; its row records progress and errors."""
    from touring.builder import BuildError, build_package
    from touring.models import PackageVersion

    version = PackageVersion.objects.select_related("venue").filter(pk=version_pk).first()
    if version is None or version.status != PackageVersion.Status.QUEUED:
        return "gone"
    try:
        build_package(version.venue, version=version)
    except BuildError as error:
        # Recorded on the version (status failed, with the error) for the admin to show.
        return f"failed: {error}"
    return "ready"
