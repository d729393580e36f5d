from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exhibition.models import Venue
from localisation.po import POImportError, export_po


class Command(BaseCommand):
    help = (
        "Export a venue's room names, labels and testimony texts as a PO file for translation "
        "into one of its languages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--venue", required=True, help="The venue's slug.")
        parser.add_argument("--language", required=True, help="The target language, e.g. lt.")
        parser.add_argument("-o", "--output", required=True, help="The .po file to write.")

    def handle(self, *args, venue, language, output, **options):
        try:
            venue_obj = Venue.objects.get(slug=venue)
        except Venue.DoesNotExist:
            raise CommandError(f"No venue with the slug {venue!r}.") from None
        try:
            po = export_po(venue_obj, language)
        except POImportError as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        try:
            path.write_text(str(po), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from None
        translated = sum(1 for entry in po if entry.msgstr)
        self.stdout.write(
            self.style.SUCCESS(
                f"wrote {output}: {len(po)} texts, {translated} already translated into {language}"
            )
        )
