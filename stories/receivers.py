"""What a withdrawn or expired consent sets off, at once.

Visibility itself needs nothing here: every public path selects through ``visible_in``, which
reads the consent's projection, so a withdrawn testimony is gone from the next response. What
is kept elsewhere is cleaned up here: the revocation list that venues receive, and (through the
``revoked`` signal) anything that copied public data, such as the search index and caches.
"""

from django.db import transaction
from django.dispatch import receiver

from stories.models import ConsentEvent, RevokedItem
from stories.signals import consent_changed, revoked

ENDING = {ConsentEvent.Kind.WITHDRAWN: "withdrawn", ConsentEvent.Kind.EXPIRED: "expired"}


@receiver(consent_changed)
def revoke_when_consent_ends(sender, consent, event, **kwargs):
    if event.kind not in ENDING:
        # A narrowed scope also changes what is visible; listeners re-check visibility.
        _announce_changed(consent)
        return
    reason = ENDING[event.kind]
    items = []
    if consent.testimony_id:
        items.append(("testimony", consent.testimony))
    else:
        items.append(("voice", consent.voice))
        items += [("testimony", t) for t in consent.voice.testimonies.all()]
    with transaction.atomic():
        for kind, instance in items:
            RevokedItem.objects.get_or_create(
                kind=kind, public_id=str(instance.pk), defaults={"reason": reason}
            )
    for kind, instance in items:
        revoked.send(sender=type(instance), kind=kind, instance=instance)
    _announce_changed(consent)


def _announce_changed(consent):
    """Tell listeners that the voice and its testimonies may have changed visibility."""
    from stories.signals import visibility_changed

    visibility_changed.send(sender=type(consent.voice), voice=consent.voice)
