from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from exhibition.models import Venue


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Venues")
    menu_order = 300
    add_to_admin_menu = True
    list_display = [
        "institution",
        "city",
        "country",
        "opens_on",
        "closes_on",
        "floor_area_m2",
        "announced",
    ]
    list_filter = ["country", "announced", "is_home_museum"]
    search_fields = ["institution", "city"]
    ordering = ["opens_on"]


register_snippet(VenueViewSet)
