from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = "Programme"

    def ready(self):
        # Events, research articles and teacher packs are searchable.
        from programme.search_documents import SOURCES
        from search.registry import register

        for source in SOURCES:
            register(source())
