"""Background work of the IIIF image server: building pyramids, purging withdrawn images."""

import datetime
import logging

from django.utils import timezone

from django_tasks import task

from collection.iiif import pyramid
from collection.iiif.cache import get_cache

logger = logging.getLogger(__name__)

# A render that checked visibility just before a withdrawal may still write its file a
# moment after the purge; a second purge this much later removes such stragglers.
SECOND_PURGE_DELAY = datetime.timedelta(seconds=90)


@task()
def build_pyramid(image_pk: int) -> str:
    """Build the pyramid of one image's present master (nothing if it is up to date)."""
    from collection.models import MuseumImage

    image = MuseumImage.objects.filter(pk=image_pk).first()
    if image is None:
        return "gone"
    try:
        path = pyramid.build_pyramid(image)
    except pyramid.MasterError as error:
        # The image server answers for this image with a clear 4xx; the log says why.
        logger.warning("IIIF pyramid for image %s not built: %s", image_pk, error)
        return f"failed: {error}"
    return str(path)


@task()
def purge_images(identifiers: list[str]) -> int:
    """Delete every cached derivative of these IIIF identifiers; return how many files."""
    cache = get_cache()
    return sum(cache.purge(identifier) for identifier in identifiers)


def purge_now_and_later(identifiers: list[str]) -> int:
    """Purge at once (so nginx stops serving the files now) and, where the task backend can
    defer, once more a little later for renders that were in flight."""
    removed = purge_images.call(identifiers)
    if purge_images.get_backend().supports_defer:
        later = purge_images.using(run_after=timezone.now() + SECOND_PURGE_DELAY)
        later.enqueue(identifiers)
    return removed
