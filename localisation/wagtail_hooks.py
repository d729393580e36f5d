from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from localisation import views
from localisation.models import VenueStaff


class VenueStaffViewSet(ModelViewSet):
    """Who works for which venue (Settings → Venue staff)."""

    model = VenueStaff
    icon = "group"
    menu_label = _("Venue staff")
    add_to_settings_menu = True
    form_fields = ["user", "venue"]
    list_display = ["user", "venue", "created_at"]
    list_filter = ["venue"]


@hooks.register("register_admin_viewset")
def register_venue_staff_viewset():
    return VenueStaffViewSet("venue_staff")


@hooks.register("register_admin_urls")
def register_localisation_urls():
    return [
        path("translations/", views.index, name="localisation_index"),
        path("translations/<int:venue_id>/", views.venue_report, name="localisation_venue"),
        path(
            "translations/<int:venue_id>/export/<str:language>.po",
            views.export,
            name="localisation_export",
        ),
        path(
            "translations/<int:venue_id>/import/",
            views.import_file,
            name="localisation_import",
        ),
    ]


class TranslationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.REPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_translations_menu_item():
    return TranslationsMenuItem(
        _("Translations"),
        reverse("localisation_index"),
        name="translations",
        icon_name="globe",
        order=303,
    )
