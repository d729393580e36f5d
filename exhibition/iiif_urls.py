"""IIIF collections of the exhibition, included at ``iiif/presentation/exhibition/``."""

from django.urls import path

from exhibition import iiif_views

app_name = "exhibition_iiif"

urlpatterns = [
    path("themes/<int:pk>/collection", iiif_views.theme_collection_view, name="theme_collection"),
    path("<slug:venue_slug>/collection", iiif_views.venue_collection_view, name="venue_collection"),
    path(
        "<slug:venue_slug>/rooms/<slug:room_slug>/collection",
        iiif_views.room_collection_view,
        name="room_collection",
    ),
]
