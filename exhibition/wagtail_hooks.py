from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

import django_filters

from exhibition import admin_views
from exhibition.admin_views import (
    RoomCreateView,
    RoomEditView,
    ScopedChooserViewSet,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    ScopedHistoryView,
    ScopedUsageView,
    for_user,
)
from exhibition.models import Placement, Room, Venue


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Venues")
    chooser_viewset_class = ScopedChooserViewSet
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
# Every view, filter and chooser below goes through ``for_user``: venue staff work only with
# their own venue's rows (the venue-scoped permission policy narrows them).


def _user_venues(request):
    return for_user(Venue.objects.all(), request.user)


def _user_rooms(request):
    return for_user(Room.objects.select_related("venue"), request.user)


class RoomFilterSet(WagtailFilterSet):
    venue = django_filters.ModelChoiceFilter(queryset=_user_venues, label=_("venue"))

    class Meta:
        model = Room
        fields = ["venue"]


class PlacementFilterSet(WagtailFilterSet):
    room__venue = django_filters.ModelChoiceFilter(queryset=_user_venues, label=_("venue"))
    room = django_filters.ModelChoiceFilter(queryset=_user_rooms, label=_("room"))

    class Meta:
        model = Placement
        fields = ["room__venue", "room", "kind"]


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
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    chooser_viewset_class = ScopedChooserViewSet
    list_display = [
        Column("name", label=_("name"), accessor=room_name),
        "venue",
        "visit_order",
        "area_m2",
    ]
    filterset_class = RoomFilterSet
    ordering = ["venue", "visit_order"]

    def get_queryset(self, request):
        return for_user(
            Room.objects.select_related("venue").prefetch_related("texts__locale"), request.user
        )


class PlacementViewSet(SnippetViewSet):
    model = Placement
    icon = "placeholder"
    menu_label = _("Placements and labels")
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    chooser_viewset_class = ScopedChooserViewSet
    list_display = [
        "object",
        "room",
        "kind",
        "position",
        "visit_order",
        Column("words", label=_("words"), accessor=placement_words),
    ]
    filterset_class = PlacementFilterSet
    ordering = ["room", "visit_order"]

    def get_queryset(self, request):
        return for_user(
            Placement.objects.select_related("room__venue", "object").prefetch_related(
                "texts__locale", "room__texts__locale", "object__texts__locale"
            ),
            request.user,
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
