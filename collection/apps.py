from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "collection"
    verbose_name = "Collection"

    def ready(self):
        # The IIIF viewers' static files (built by `make viewers`) must be in place.
        from collection import checks  # noqa: F401 (registers the check)

        # Objects and loans are searchable: the search app indexes what collection registers.
        from collection.search_documents import ObjectSearch
        from search.registry import register

        register(ObjectSearch())

        # IIIF: pyramids for new masters, cached images purged when the web may not show them.
        from collection.iiif import native, signal_handlers

        signal_handlers.connect()
        native.configure()

        # The admin search's trigram index on SQLite: triggers a table rebuild dropped
        # are created again after each migrate.
        from django.db.models.signals import post_migrate

        from collection.trigram import repair_after_migrate

        post_migrate.connect(repair_after_migrate, sender=self)
