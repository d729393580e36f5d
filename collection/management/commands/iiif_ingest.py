"""Add an image file as a MuseumImage that may be published online; print its IIIF identifier.

Used to serve the official IIIF validator's test image (``make iiif-validate``) and handy
for trying the image server with any file.
"""

from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError

from collection.iiif.access import image_identifier
from collection.models import MuseumImage


class Command(BaseCommand):
    help = "Add an image file as an image allowed online and print its IIIF identifier."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The image file to add.")
        parser.add_argument("--title", help="The image's title (default: the file name).")
        parser.add_argument(
            "--max-online-size",
            type=int,
            help="The longest side in pixels that may be served online (default: no limit).",
        )

    def handle(self, *args, path: Path, title: str | None, max_online_size: int | None, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if max_online_size is not None and max_online_size < 1:
            raise CommandError("--max-online-size must be at least 1.")
        with path.open("rb") as handle:
            image = MuseumImage(
                title=title or path.stem,
                file=ImageFile(handle, name=path.name),
                may_publish_online=True,
                max_online_size=max_online_size,
            )
            image._set_image_file_metadata()
            image.save()
        self.stdout.write(image_identifier(image))
