"""Wagtail hooks of the debate arena (visitor questions and contributions).

Wagtail loads only modules named ``wagtail_hooks``; ``stories/wagtail_hooks.py`` imports this
one so the registrations below run.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from stories.contribution_admin import DebateViewSetGroup


@hooks.register("register_admin_viewset")
def register_debate_viewsets():
    return DebateViewSetGroup()


@hooks.register("register_log_actions")
def register_contribution_log_actions(actions):
    actions.register_action(
        "stories.contribution.approve",
        _("Approve visitor contribution"),
        _("Approved the visitor contribution"),
    )
    actions.register_action(
        "stories.contribution.reject",
        _("Reject visitor contribution"),
        _("Rejected the visitor contribution"),
    )
    actions.register_action(
        "stories.contribution.take_down",
        _("Take down visitor contribution"),
        _("Took down the approved visitor contribution"),
    )
