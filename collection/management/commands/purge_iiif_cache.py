"""Delete cached IIIF images of everything the web may no longer show (or, --all, of all).

Withdrawals made through the admin purge at once (collection/iiif/signal_handlers.py). This
sweep catches the rest: changes made outside the ORM (SQL, restored backups) and renders
that were in flight during a withdrawal. Run it daily from cron or a systemd timer in
production, where nginx serves cached files without asking Django.
"""

from django.core.management.base import BaseCommand

from collection.iiif.access import web_images
from collection.iiif.cache import get_cache
from collection.iiif.tasks import purge_images


class Command(BaseCommand):
    help = "Purge cached IIIF images that the web may no longer show (--all: every one)."

    def add_arguments(self, parser):
        parser.add_argument("--all", dest="everything", action="store_true", help="Purge all.")

    def handle(self, *args, everything: bool = False, **options):
        cached = get_cache().identifiers()
        if everything:
            stale = cached
        else:
            numeric = [int(name) for name in cached if name.isdigit()]
            visible = {
                str(pk) for pk in web_images().filter(pk__in=numeric).values_list("pk", flat=True)
            }
            stale = [name for name in cached if name not in visible]
        removed = purge_images.call(stale)
        self.stdout.write(
            f"{len(stale)} images purged ({removed} files), {len(cached) - len(stale)} kept."
        )
