from django.apps import AppConfig


class ExhibitionConfig(AppConfig):
    name = "exhibition"
    verbose_name = "Exhibition"

    def ready(self):
        # The exhibition's pages are searchable (the curator's words, never quoted voices).
        from exhibition.search_documents import SOURCES
        from search.registry import register

        for source in SOURCES:
            register(source())
