"""Moderation as named actions: check permission, do it, log it (Wagtail's log).

``ApproveContribution(c, user=u).execute()`` makes the visitor a voice with the role "visitor"
and records, in the consent ledger, the web-only consent they gave on the form.
``RejectContribution`` keeps it off the site; used on an approved contribution it takes it
down again by withdrawing that consent, so it leaves every page like any withdrawn voice.
Both erase the client key kept for moderation.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from stories.contributions.conf import contribution_settings
from stories.models import Consent, ConsentScope, Contribution, Voice

MODERATE_PERMISSION = "stories.moderate_contribution"
CONSENT_BASIS = "Contributed through the website form, approved by moderation"
REMOVAL_BASIS = "Visitor contribution taken down by moderation"


class ModerationError(Exception):
    """The contribution cannot take this step (e.g. it was moderated meanwhile)."""


class ModerationAction:
    log_action = ""

    def __init__(self, contribution: Contribution, *, user, note: str = ""):
        self.contribution = contribution
        self.user = user
        self.note = (note or "").strip()

    def check(self) -> None:
        if not self.user.has_perm(MODERATE_PERMISSION):
            raise PermissionDenied

    def execute(self) -> Contribution:
        self.check()
        with transaction.atomic():
            # Lock the row: two moderators acting at once must not both approve.
            locked = Contribution.objects.select_for_update().get(pk=self.contribution.pk)
            action = self.apply(locked)
            locked.moderated_at = timezone.now()
            locked.moderated_by = self.user
            if self.note:
                locked.moderation_note = self.note
            locked.client_key = ""
            locked.save()
            log(
                locked,
                action,
                user=self.user,
                data={"status": locked.status, "note": self.note},
            )
        self.contribution.refresh_from_db()
        return self.contribution

    def apply(self, contribution: Contribution) -> str:
        raise NotImplementedError


class ApproveContribution(ModerationAction):
    def apply(self, contribution):
        if contribution.status == Contribution.Status.APPROVED:
            raise ModerationError(_("This contribution is approved already."))
        if contribution.voice_id:
            # Approved once and taken down: its consent was withdrawn, and is not renewed here.
            raise ModerationError(
                _("This contribution was taken down after approval and cannot be approved again.")
            )
        contribution.voice = Voice.objects.create(
            display_name=contribution.display_name or anonymous_name(contribution.language),
            role=Voice.Role.VISITOR,
            language_codes=contribution.language,
        )
        Consent.grant(
            voice=contribution.voice,
            scope=ConsentScope.parse(channels={"web"}, countries="*"),
            by=self.user,
            basis=CONSENT_BASIS,
        )
        contribution.status = Contribution.Status.APPROVED
        return "stories.contribution.approve"


class RejectContribution(ModerationAction):
    def apply(self, contribution):
        if contribution.status == Contribution.Status.REJECTED:
            raise ModerationError(_("This contribution is rejected already."))
        action = "stories.contribution.reject"
        if contribution.status == Contribution.Status.APPROVED:
            action = "stories.contribution.take_down"
            basis = f"{REMOVAL_BASIS}: {self.note}" if self.note else REMOVAL_BASIS
            for consent in Consent.objects.filter(voice=contribution.voice, withdrawn_at=None):
                consent.withdraw(by=self.user, basis=basis)
        contribution.status = Contribution.Status.REJECTED
        return action


def anonymous_name(language: str) -> str:
    """The display name of an anonymous visitor voice, in the contribution's language."""
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        return gettext("Anonymous visitor")


def purge_stale(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what moderation no longer needs: contributions still pending after the
    retention period (never shown, never will be) and rejected ones moderated that long ago,
    unless a withdrawn consent ties them to a voice. Returns counts by status."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=contribution_settings().retention_days)
    pending = Contribution.objects.pending().filter(submitted_at__lt=cutoff)
    rejected = Contribution.objects.filter(
        status=Contribution.Status.REJECTED, moderated_at__lt=cutoff
    )
    counts = {}
    with transaction.atomic():
        counts["pending"] = pending.delete()[0]
        # A taken-down contribution keeps its row while its voice and consent ledger exist:
        # only the text is erased, the record of consent and withdrawal stays.
        counts["taken_down"] = (
            rejected.filter(voice__isnull=False).exclude(text="").update(text="", display_name="")
        )
        counts["rejected"] = rejected.filter(voice__isnull=True).delete()[0]
    return counts
