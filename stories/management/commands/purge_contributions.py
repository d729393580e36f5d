"""Delete what moderation of visitor contributions no longer needs (run it daily)."""

from django.core.management.base import BaseCommand

from stories.contributions.actions import purge_stale
from stories.contributions.conf import contribution_settings


class Command(BaseCommand):
    help = (
        "Delete visitor contributions still pending, or rejected, longer than "
        "CONTRIBUTION_RETENTION_DAYS; erase the text of ones taken down after approval."
    )

    def handle(self, *args, **options):
        counts = purge_stale()
        days = contribution_settings().retention_days
        self.stdout.write(
            f"Older than {days} days: deleted {counts['pending']} pending and "
            f"{counts['rejected']} rejected contributions; erased the text of "
            f"{counts['taken_down']} taken down."
        )
