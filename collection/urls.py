from django.urls import path

from collection import views

app_name = "collection"

urlpatterns = [
    path("collection/", views.browse, name="browse"),
    path("collection/<int:pk>/", views.object_detail, name="object"),
    path("collection/viewer/", views.viewer, name="viewer"),
    path(
        "collection/<int:pk>.jsonld",
        views.object_detail,
        {"as_linked_art": True},
        name="object_linked_art",
    ),
]
