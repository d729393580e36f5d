"""Write expired consents into the ledger and revoke what they covered.

Visibility does not wait for this: ``visible_in`` compares the expiry date with the channel's
date, so content disappears on the day its consent expires without anyone acting. This
command (run daily, e.g. from cron or a scheduled task) records the expiry as a ledger event,
puts the ids on the venues' revocation list and tells listeners (search, caches).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stories.models import Consent


class Command(BaseCommand):
    help = "Record consents that have expired (by date) in the consent ledger."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="The date to check, YYYY-MM-DD (default: today).")

    def handle(self, *args, on=None, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on takes a date as YYYY-MM-DD, not {on!r}.") from None
        recorded = 0
        for consent in Consent.objects.filter(withdrawn_at__isnull=True, expires_on__lte=day):
            if consent.record_expiry(day) is not None:
                recorded += 1
        self.stdout.write(f"Recorded the expiry of {recorded} consent(s) as of {day.isoformat()}.")
