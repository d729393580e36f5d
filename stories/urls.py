"""Public routes of the stories app, inside the language prefixes (namespace ``stories``)."""

from django.urls import path  # noqa: F401

from stories import perspective_views, views  # noqa: F401
from stories.contributions import views as contribution_views

app_name = "stories"

urlpatterns = [
    path("stories/testimonies/", views.testimony_list, name="testimony_list"),
    path("stories/testimonies/<slug:slug>/", views.testimony_detail, name="testimony"),
    path("stories/testimonies/<slug:slug>/show/", views.testimony_reveal, name="testimony_reveal"),
    path(
        "stories/testimonies/<slug:slug>/recording/",
        views.testimony_recording,
        name="testimony_recording",
    ),
    path(
        "stories/testimonies/<slug:slug>/tracks/<str:language>/<str:kind>.vtt",
        views.testimony_track,
        name="testimony_track",
    ),
    path("stories/perspectives/", perspective_views.perspective_list, name="perspective_list"),
    path(
        "stories/perspectives/<slug:slug>/",
        perspective_views.perspective_detail,
        name="perspective",
    ),
    path("stories/questions/", contribution_views.question_list, name="questions"),
    path("stories/questions/<slug:slug>/", contribution_views.question_page, name="question"),
    path(
        "stories/questions/<slug:slug>/thanks/",
        contribution_views.question_thanks,
        name="question_thanks",
    ),
]
