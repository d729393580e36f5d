"""IIIF Image API 3.0 routes, included at ``iiif/3/`` outside the language
prefixes."""

from django.urls import path

from collection.iiif import views

app_name = "iiif"

urlpatterns = [
    path("<str:identifier>", views.base, name="base"),
    path("<str:identifier>/info.json", views.info, name="info"),
    path(
        "<str:identifier>/<str:region>/<str:size>/<str:rotation>/<str:filename>",
        views.image_request,
        name="image",
    ),
    # Anything else under the prefix is still answered by the IIIF service (plain text,
    # with CORS), not by the site's HTML 404 page.
    path("<path:rest>", views.unknown, name="unknown"),
]
