from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseCacheConfig(AppConfig):
    name = "responsecache"
    verbose_name = _("Response cache")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from responsecache import receivers  # noqa: F401 (connects the invalidation receivers)
