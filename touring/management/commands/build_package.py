import sys

from django.core.management.base import BaseCommand, CommandError

from exhibition.models import Venue
from touring.builder import BuildError, build_package


class Command(BaseCommand):
    help = "Build the next signed content package of a venue (only what VENUE(v) shows)."

    def add_arguments(self, parser):
        parser.add_argument("--venue", required=True, help="The venue's slug.")

    def handle(self, *args, venue, **options):
        venue_obj = Venue.objects.filter(slug=venue).first()
        if venue_obj is None:
            known = ", ".join(Venue.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No venue with the slug {venue!r}. Known venues: {known or 'none'}."
            )
        err = self.stderr

        def progress(percent: int, message: str) -> None:
            width = 30
            filled = width * percent // 100
            err.write(
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {percent:3d}% {message[:50]:50}",
                ending="",
            )
            if percent >= 100:
                err.write("")
            if hasattr(sys.stderr, "flush"):
                err.flush()

        try:
            version = build_package(venue_obj, progress=progress)
        except BuildError as error:
            err.write("")
            raise CommandError(f"The package for {venue} failed: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{venue} v{version.number}: {version.size} bytes, sha256 {version.sha256}"
            )
        )
        missing = {
            code: len(items) for code, items in version.report["untranslated"].items() if items
        }
        for code, count in missing.items():
            self.stdout.write(
                f"  {count} texts untranslated in {code} (shown in {version.report['fallback_language']})"
            )
        for item in version.report["excluded"]:
            self.stdout.write(f"  left out {item['object']}: {item['message']}")
