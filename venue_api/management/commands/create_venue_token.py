"""Create an API token for a venue and print it, once: only its hash is kept."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from exhibition.models import Venue
from venue_api.models import VenueApiToken


class Command(BaseCommand):
    help = "Create a venue API token and print it once (it cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("--venue", required=True, help="The venue's slug.")
        parser.add_argument("--name", required=True, help="What will use the token.")
        parser.add_argument(
            "--days", type=int, default=None, help="Expire after this many days (default: never)."
        )

    def handle(self, *args, venue: str, name: str, days: int | None, **options):
        try:
            found = Venue.objects.get(slug=venue)
        except Venue.DoesNotExist:
            raise CommandError(f"No venue with the slug {venue!r}.") from None
        if not name.strip():
            raise CommandError("Give the token a --name saying what uses it.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        token, secret = VenueApiToken.issue(found, name.strip()[:120], expires_at=expires_at)
        self.stderr.write(
            f"Token {token.prefix}… for {found.slug} created. Store it now: it is shown only once."
        )
        self.stdout.write(secret)
