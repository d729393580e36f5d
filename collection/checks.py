"""System checks for the collection's public pages."""

from django.core.checks import Tags, Warning, register

# The viewers copied from npm by `make viewers`; object pages and the Mirador page load them.
VIEWER_FILES = (
    "vendor/openseadragon/openseadragon.min.js",
    "vendor/mirador/mirador.min.js",
)


@register(Tags.staticfiles)
def viewer_files_check(app_configs, **kwargs):
    """Warn when the IIIF viewers are not among the static files.

    Without them collectstatic's manifest has no entry for the viewer scripts, and every object
    page with an image fails to render.
    """
    from django.contrib.staticfiles import finders

    return [
        Warning(
            f"The IIIF viewer file {path} is not among the static files.",
            hint="Run `make viewers`: it copies OpenSeadragon and Mirador from node_modules "
            "into static/vendor/.",
            id="collection.W001",
        )
        for path in VIEWER_FILES
        if not finders.find(path)
    ]
