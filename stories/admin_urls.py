from django.urls import path

from stories import admin_views

app_name = "stories_admin"

urlpatterns = [
    path("voices/<int:pk>/identity/", admin_views.identity, name="identity"),
    path("voices/<int:pk>/consent/", admin_views.consent, name="consent"),
    path("consent-documents/<int:pk>/", admin_views.consent_document, name="consent_document"),
]
