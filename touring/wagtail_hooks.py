from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from touring import admin_views
from touring.actions import can_see_packages
from touring.models import Tour, VenueContact


class TourViewSet(SnippetViewSet):
    model = Tour
    icon = "site"
    menu_label = _("Tours")
    list_display = ["name", "slug"]


class VenueContactViewSet(SnippetViewSet):
    """Confidential: only staff given permissions on venue contacts see this."""

    model = VenueContact
    icon = "user"
    menu_label = _("Venue contacts")
    list_display = ["name", "venue", "role", "email", "phone"]
    list_filter = ["venue"]
    search_fields = ["name", "role"]


class TouringViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Touring")
    menu_icon = "site"
    menu_order = 303
    items = (TourViewSet, VenueContactViewSet)


register_snippet(TouringViewSetGroup)


@hooks.register("register_admin_urls")
def register_touring_urls():
    return [
        path("touring/packages/", admin_views.package_index, name="touring_packages"),
        path(
            "touring/packages/venue/<int:venue_id>/",
            admin_views.venue_packages,
            name="touring_venue_packages",
        ),
        path(
            "touring/packages/venue/<int:venue_id>/build/",
            admin_views.build,
            name="touring_build",
        ),
        path(
            "touring/packages/venue/<int:venue_id>/coverage/",
            admin_views.coverage,
            name="touring_coverage",
        ),
        path(
            "touring/packages/<int:pk>/report/",
            admin_views.version_report,
            name="touring_report",
        ),
        path(
            "touring/packages/<int:pk>/download/",
            admin_views.download,
            name="touring_download",
        ),
        path("touring/packages/<int:pk>/revoke/", admin_views.revoke, name="touring_revoke"),
    ]


class PackagesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_packages(request.user)


@hooks.register("register_admin_menu_item")
def register_packages_menu_item():
    return PackagesMenuItem(
        _("Content packages"),
        reverse("touring_packages"),
        name="touring-packages",
        icon_name="download",
        order=304,
    )
