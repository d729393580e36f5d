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
