"""Public routes of the stories app, inside the language prefixes (namespace ``stories``)."""

from django.urls import path

from stories import perspective_views

app_name = "stories"

urlpatterns = [
    path("stories/perspectives/", perspective_views.perspective_list, name="perspective_list"),
    path(
        "stories/perspectives/<slug:slug>/",
        perspective_views.perspective_detail,
        name="perspective",
    ),
]
