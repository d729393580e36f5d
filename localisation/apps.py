from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalisationConfig(AppConfig):
    name = "localisation"
    verbose_name = _("Localisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Before the snippet viewsets register (wagtail.snippets comes later in INSTALLED_APPS):
        # venue staff see and edit only their own venue's rooms and placements.
        from localisation.venue_staff import register_policies

        register_policies()
