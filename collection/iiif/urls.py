"""IIIF routes, included at ``iiif/`` outside the language prefixes.

The Image API lives under ``3/`` and the Presentation API under ``presentation/``. They are
kept apart because the Image API's ``{id}/{region}/{size}/{rotation}/{quality}`` pattern would
otherwise swallow any Presentation path of five segments (a canvas, an annotation page).
"""

from django.urls import path, re_path

from collection.iiif import presentation_views, views

app_name = "iiif"

urlpatterns = [
    path(
        "presentation/objects/<int:pk>/manifest",
        presentation_views.object_manifest_view,
        name="object_manifest",
    ),
    # Canvases, annotation pages and annotations inside a manifest are dereferenceable: each
    # answers with its own part of the manifest.
    path(
        "presentation/objects/<int:pk>/<path:part>",
        presentation_views.object_manifest_part_view,
        name="object_manifest_part",
    ),
    path(
        "presentation/collections/objects",
        presentation_views.objects_collection_view,
        name="objects_collection",
    ),
    path("presentation/<path:rest>", presentation_views.unknown, name="presentation_unknown"),
    path("3/<str:identifier>", views.base, name="base"),
    path("3/<str:identifier>/info.json", views.info, name="info"),
    path(
        "3/<str:identifier>/<str:region>/<str:size>/<str:rotation>/<str:filename>",
        views.image_request,
        name="image",
    ),
    # Anything else under the prefix is still answered by the IIIF service (plain text,
    # with CORS), not by the site's HTML 404 page.
    # ([\s\S], not <path:>: a path converter stops at a line break, e.g. an encoded %0A.)
    re_path(r"^3/(?P<rest>[\s\S]*)\Z", views.unknown, name="unknown"),
]
