"""Build the IIIF pyramids of images that lack an up-to-date one, with a progress display.

The upload task does this for each new master; this command is for bulk work: after an
import, after restoring media from a backup, or to rebuild everything (``--all``).
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from collection.iiif.pyramid import MasterError, build_pyramid, current_pyramid, remove_pyramids
from collection.models import MuseumImage


class Command(BaseCommand):
    help = "Build missing (or, with --all, every) IIIF pyramids, showing progress."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these images (primary keys).")
        parser.add_argument(
            "--all", dest="rebuild", action="store_true", help="Rebuild pyramids already built."
        )

    def handle(self, *args, ids: list[int], rebuild: bool = False, **options):
        images = MuseumImage.objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
            missing = set(ids) - set(images.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No image with id {', '.join(map(str, sorted(missing)))}.")
        todo = [image for image in images if rebuild or current_pyramid(image) is None]
        total, built, failed = len(todo), 0, []
        started = time.monotonic()
        for done, image in enumerate(todo, start=1):
            if rebuild:
                remove_pyramids(image.pk)
                image.pyramid_source = ""
            try:
                build_pyramid(image)
                built += 1
            except MasterError as error:
                failed.append((image.pk, str(error)))
            self._progress(done, total, started)
        if total:
            self.stdout.write("")
        for pk, reason in failed:
            self.stderr.write(f"image {pk}: {reason}")
        self.stdout.write(
            f"{built} pyramids built, {len(failed)} failed, "
            f"{images.count() - total} already up to date."
        )
        if failed:
            raise CommandError(f"{len(failed)} images could not be converted (see above).")

    def _progress(self, done: int, total: int, started: float) -> None:
        """A one-line bar on a terminal; a line per tenth otherwise (logs, CI)."""
        elapsed = time.monotonic() - started
        left = elapsed / done * (total - done)
        text = f"{done}/{total} pyramids, {elapsed:.0f}s elapsed, ~{left:.0f}s left"
        if sys.stdout.isatty():
            filled = int(30 * done / total)
            self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {text}", ending="")
            self.stdout.flush()
        elif done == total or done % max(1, total // 10) == 0:
            self.stdout.write(text)
