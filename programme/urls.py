from django.urls import path

from programme import views

app_name = "programme"
urlpatterns = [
    path("programme/calendar/<slug:venue_slug>.ics", views.venue_calendar, name="venue_calendar"),
]
