"""Re-encrypt every stored real identity with the first key in IDENTITY_ENCRYPTION_KEYS.

Rotation: put the new key first, keep the old one after it, run this, then remove the old
key. Decrypting with the old key keeps working until the last row is rewritten.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from stories.crypto import rotate
from stories.models import VoiceIdentity


class Command(BaseCommand):
    help = "Re-encrypt voices' real identities with the first IDENTITY_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        total = VoiceIdentity.objects.count()
        for done, identity in enumerate(VoiceIdentity.objects.order_by("pk").iterator(), 1):
            with transaction.atomic():
                identity.real_name_encrypted = rotate(identity.real_name_encrypted)
                identity.contact_encrypted = rotate(identity.contact_encrypted)
                identity.notes_encrypted = rotate(identity.notes_encrypted)
                identity.save(
                    update_fields=["real_name_encrypted", "contact_encrypted", "notes_encrypted"]
                )
            if done % 100 == 0 or done == total:
                self.stdout.write(f"  {done}/{total} identities re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"{total} identities now use the first key."))
