from django.urls import path

from search import views

app_name = "search"

# Under each language prefix: /sok/ and /en/sok/.
urlpatterns = [
    path("sok/", views.search_page, name="search"),
    path("sok/forslag/", views.suggest, name="suggest"),
]
