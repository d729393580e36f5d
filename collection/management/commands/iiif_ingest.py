"""Add an image file as a MuseumImage that may be published online; print its IIIF identifier.

Used to serve the official IIIF validator's test image (``make iiif-validate``), by the
IIIF benchmark, and handy for trying the image server with any file. The image's pyramid
is built at once (``--no-pyramid`` leaves it to the background task), so the server never
reads the master.
"""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from wagtail.utils.file import hash_filelike

from collection.iiif.access import image_identifier
from collection.iiif.pyramid import MasterError, build_pyramid, open_master
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
        parser.add_argument(
            "--no-pyramid",
            action="store_true",
            help="Do not build the pyramid now (the queued background task will).",
        )

    def handle(self, *args, path: Path, title, max_online_size, no_pyramid=False, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if max_online_size is not None and max_online_size < 1:
            raise CommandError("--max-online-size must be at least 1.")
        try:
            # The header through libvips: Pillow refuses masters above ~179 megapixels,
            # which the tiled pipeline serves well.
            header = open_master(str(path))
        except MasterError as error:
            raise CommandError(f"{path}: {error}") from None
        storage = MuseumImage._meta.get_field("file").storage
        with path.open("rb") as handle:
            # Stored first and given to the model by name: a file object would make Django
            # ask Wagtail for the size, which decodes the whole master with Pillow.
            name = storage.save(MuseumImage().get_upload_to(path.name), File(handle))
            handle.seek(0)
            file_hash = hash_filelike(handle)
        image = MuseumImage(
            title=title or path.stem,
            file=name,
            width=header.width,
            height=header.height,
            file_size=path.stat().st_size,
            file_hash=file_hash,
            may_publish_online=True,
            max_online_size=max_online_size,
        )
        image.save()
        if not no_pyramid:
            try:
                build_pyramid(image)
            except MasterError as error:
                image.delete()
                raise CommandError(f"{path}: {error}") from None
        self.stdout.write(image_identifier(image))
