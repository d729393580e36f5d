from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from venue_api.admin_views import VenueApiTokenViewSet


@hooks.register("register_admin_viewset")
def register_token_viewset():
    return VenueApiTokenViewSet("venue_api_tokens")


@hooks.register("register_log_actions")
def register_token_log_actions(actions):
    actions.register_action(
        "venue_api.token.revoke", _("Revoke venue API token"), _("Revoked the venue API token")
    )
