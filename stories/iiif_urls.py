"""IIIF routes of stories, included at ``iiif/presentation/testimonies/`` (before the
collection's IIIF routes, whose catch-all would otherwise answer)."""

from django.urls import path

from stories import iiif_views

app_name = "stories_iiif"

urlpatterns = [
    path("<slug:slug>/manifest", iiif_views.testimony_manifest_view, name="testimony_manifest"),
    path("<slug:slug>/<path:part>", iiif_views.testimony_part_view, name="testimony_part"),
]
