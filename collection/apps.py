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
        from collection.iiif import signal_handlers

        signal_handlers.connect()

        # WeasyPrint (printed labels, research PDFs, packages) sets Pillow's process-wide
        # LOAD_TRUNCATED_IMAGES to True when it is imported, after which a truncated upload
        # would pass as an image. Import it once, here, and switch the setting back.
        import weasyprint.images  # noqa: F401
        from PIL import ImageFile

        ImageFile.LOAD_TRUNCATED_IMAGES = False
