from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from exhibition import admin_views
from exhibition.admin_views import RoomCreateView, RoomEditView
from exhibition.models import Placement, Room, Venue


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


# --- rooms, placements, floor plans and labels ------------------------------------------


def room_name(room: Room) -> str:
    return room.name


def placement_words(placement: Placement) -> str:
    return ", ".join(
        f"{text.locale.language_code} {text.get_kind_display()}: {text.word_count}"
        for text in placement.texts.all()
    )


class RoomViewSet(SnippetViewSet):
    model = Room
    icon = "table"
    menu_label = _("Rooms")
    add_view_class = RoomCreateView
    edit_view_class = RoomEditView
    list_display = [
        Column("name", label=_("name"), accessor=room_name),
        "venue",
        "visit_order",
        "area_m2",
    ]
    list_filter = ["venue"]
    ordering = ["venue", "visit_order"]

    def get_queryset(self, request):
        return Room.objects.select_related("venue").prefetch_related("texts__locale")


class PlacementViewSet(SnippetViewSet):
    model = Placement
    icon = "placeholder"
    menu_label = _("Placements and labels")
    list_display = [
        "object",
        "room",
        "kind",
        "position",
        "visit_order",
        Column("words", label=_("words"), accessor=placement_words),
    ]
    list_filter = ["room__venue", "room", "kind"]
    ordering = ["room", "visit_order"]

    def get_queryset(self, request):
        return Placement.objects.select_related("room__venue", "object").prefetch_related(
            "texts__locale", "room__texts__locale", "object__texts__locale"
        )


class LayoutViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Exhibition layout")
    menu_icon = "table"
    menu_order = 301
    items = (RoomViewSet, PlacementViewSet)


register_snippet(LayoutViewSetGroup)


@hooks.register("register_admin_urls")
def register_layout_urls():
    return [
        path("exhibition/layout/", admin_views.layout_index, name="exhibition_layout"),
        path(
            "exhibition/layout/<int:venue_id>/floor-plan/",
            admin_views.layout_floor_plan,
            name="exhibition_layout_floor_plan",
        ),
        path(
            "exhibition/layout/<int:venue_id>/labels.pdf",
            admin_views.layout_labels_pdf,
            name="exhibition_layout_labels",
        ),
    ]


class LayoutMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.LAYOUT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_layout_menu_item():
    return LayoutMenuItem(
        _("Floor plans and labels"),
        reverse("exhibition_layout"),
        name="exhibition-layout",
        icon_name="table",
        order=302,
    )
