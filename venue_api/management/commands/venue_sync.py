"""The reference client: bring a venue's kiosk folder up to date from the venue API.

    manage.py venue_sync --url https://museum.example --token <token> --dest /srv/kiosk \
        --public-key <the museum's public key>

Venues must pin the museum's public key (``--public-key`` or ``PACKAGE_VERIFY_KEY``): it is
what makes a package from anyone else, or a tampered one, fail. Only inside the museum's own
installation (where ``PACKAGE_SIGNING_KEY`` is set) does the key default to the public half of
the signing key. See ``venue_api/sync.py`` for what is checked and how the folder is laid out.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from touring import signing
from venue_api.sync import Sync, SyncError, terminal_progress


class Command(BaseCommand):
    help = "Download, verify and install the venue's newest content package (atomically)."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="The museum site (or its API root).")
        parser.add_argument(
            "--token",
            default=os.environ.get("VENUE_API_TOKEN", ""),
            help="The venue's API token (default: the VENUE_API_TOKEN environment variable, "
            "which keeps it out of the process list).",
        )
        parser.add_argument("--dest", required=True, help="The kiosk folder to keep up to date.")
        parser.add_argument(
            "--public-key",
            default="",
            help="The museum's Ed25519 public key (default: the PACKAGE_VERIFY_KEY setting).",
        )
        parser.add_argument(
            "--venue",
            default="",
            help="The venue's slug: refuse a package for any other venue (later runs check "
            "against the installed package anyway).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress display.")

    def handle(self, *args, url, token, dest, public_key, venue="", quiet=False, **options):
        if not token:
            raise CommandError("No token: pass --token or set VENUE_API_TOKEN.")
        key = public_key or settings.PACKAGE_VERIFY_KEY or self._own_key()
        sync = Sync(
            url,
            token,
            dest,
            key,
            venue=venue or None,
            progress=(lambda *a: None) if quiet else terminal_progress(self.stderr._out),
            warn=self.stderr.write,
        )
        try:
            result = sync.run()
        except SyncError as error:
            raise CommandError(str(error)) from None
        for message in result.messages:
            self.stdout.write(message)

    def _own_key(self) -> str:
        if not settings.PACKAGE_SIGNING_KEY:
            raise CommandError(
                "No public key: pass --public-key or set PACKAGE_VERIFY_KEY to the key the "
                "museum gave you."
            )
        self.stderr.write(
            "Using the museum's own signing key to verify (no --public-key or "
            "PACKAGE_VERIFY_KEY); a venue must pin the museum's public key instead."
        )
        return signing.museum_public_key()
