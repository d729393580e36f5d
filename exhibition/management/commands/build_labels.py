from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exhibition.labels import PAGE_SIZES, build_pdf, collect_labels
from exhibition.models import Venue


class Command(BaseCommand):
    help = "Print a venue's labels in one language to a PDF (only what its print channel shows)."

    def add_arguments(self, parser):
        parser.add_argument("--venue", required=True, help="The venue's slug.")
        parser.add_argument("--language", required=True, help="A language of the venue, e.g. sv.")
        parser.add_argument("--size", default="A6", choices=sorted(PAGE_SIZES))
        parser.add_argument("--output", required=True, help="The PDF file to write.")

    def handle(self, *args, venue, language, size, output, **options):
        try:
            venue_obj = Venue.objects.get(slug=venue)
        except Venue.DoesNotExist:
            raise CommandError(f"No venue with the slug {venue!r}.") from None
        if language not in venue_obj.languages:
            raise CommandError(
                f"{venue} shows the exhibition in {', '.join(venue_obj.languages)}, not {language!r}."
            )

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            self.stdout.write(
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} placements",
                ending="",
            )
            if done == total:
                self.stdout.write("")

        label_set = collect_labels(venue_obj, language, size, progress=progress)
        self.stdout.write(f"  {len(label_set.labels)} labels; laying out {size} pages…")
        pdf = build_pdf(label_set)
        Path(output).write_bytes(pdf)
        if label_set.skipped:
            self.stderr.write(
                f"  no label in {language} for: {', '.join(label_set.skipped)} (not printed)"
            )
        self.stdout.write(self.style.SUCCESS(f"wrote {output} ({len(pdf)} bytes)"))
