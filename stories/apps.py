from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self):
        from collection.iiif.presentation import register_annotation_provider
        from stories import checks, receivers  # noqa: F401 (registers checks and receivers)
        from stories.iiif import voice_annotations

        register_annotation_provider(voice_annotations)

        from search import registry
        from stories.search_documents import SOURCES

        for source in SOURCES:
            registry.register(source())
