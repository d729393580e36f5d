"""WeasyPrint, imported only where something is printed (labels, research PDFs, packages).

Importing WeasyPrint loads Pango and its fonts (about 50 MB per process, which an image
server worker should not carry), and it sets Pillow's process-wide
``LOAD_TRUNCATED_IMAGES`` to True, after which a truncated upload would pass as an image.
Every use goes through :func:`weasyprint_html`, which switches that setting back.
"""

from PIL import ImageFile


def weasyprint_html():
    """WeasyPrint's ``HTML`` class, with Pillow's check of truncated images left on."""
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return HTML
