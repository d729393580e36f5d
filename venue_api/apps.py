from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenueApiConfig(AppConfig):
    name = "venue_api"
    verbose_name = _("Venue API")
    default_auto_field = "django.db.models.BigAutoField"
