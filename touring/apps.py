from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouringConfig(AppConfig):
    name = "touring"
    verbose_name = _("Touring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from touring import checks  # noqa: F401 (registers the signing key check)
