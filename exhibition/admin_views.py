"""Admin views for the physical show: room forms that warn when a venue's rooms outgrow its
floor, and the curators' page of floor plans and printable labels per venue."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    UsageView,
)

from exhibition.floor_plan import render_svg, staff_plan
from exhibition.labels import PAGE_SIZES, build_pdf, collect_labels
from exhibition.models import Placement, Venue
from exhibition.models.rooms import rooms_area_total
from visibility.channels import PRINT

LAYOUT_PERMISSION = "exhibition.view_placement"


def area_warning(venue: Venue) -> str | None:
    """A warning when the rooms of ``venue`` add up to more than its floor area."""
    total = rooms_area_total(venue).quantize(Decimal("0.1"))
    if total <= venue.floor_area_m2:
        return None
    return _(
        "The rooms at %(venue)s add up to %(total)s m², more than the %(area)s m² the venue "
        "has (%(excess)s m² too much)."
    ) % {
        "venue": venue.institution,
        "total": total,
        "area": venue.floor_area_m2,
        "excess": total - venue.floor_area_m2,
    }


def for_user(queryset, user):
    """The rows of ``queryset`` that ``user`` works with in the admin.

    The model's registered permission policy may narrow them by offering
    ``filter_queryset_for_user(user, queryset)``: venue staff, for instance, work only with
    their own venue's rooms and placements (see ``localisation.venue_staff``).
    """
    narrow = getattr(policy_registry.get_by_type(queryset.model), "filter_queryset_for_user", None)
    return narrow(user, queryset) if narrow else queryset


class UserScopedObjectMixin:
    """Edit, delete, history and usage views find only rows the user works with: any other
    row is "not found", so its existence is not revealed. Form choices of venue and room are
    narrowed the same way, so nothing can be moved to another venue, and fields the policy
    locks for the user are read-only."""

    def get_queryset(self):
        return for_user(super().get_queryset(), self.request.user)

    def get_base_object_queryset(self):
        return for_user(super().get_base_object_queryset(), self.request.user)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        for name in ("venue", "room"):
            field = form.fields.get(name)
            if field is not None and hasattr(field, "queryset"):
                field.queryset = for_user(field.queryset, self.request.user)
        # The policy may also keep some fields read-only for the user (venue staff edit the
        # texts, not the layout); a disabled field ignores whatever is posted for it.
        if getattr(form.instance, "pk", None):
            policy = policy_registry.get_by_type(form._meta.model)
            locked = getattr(policy, "fields_locked_for_user", None)
            for name in locked(self.request.user) if locked else ():
                if name in form.fields:
                    form.fields[name].disabled = True
        return form


class ScopedCreateView(UserScopedObjectMixin, CreateView):
    pass


class ScopedDeleteView(UserScopedObjectMixin, DeleteView):
    pass


class ScopedHistoryView(UserScopedObjectMixin, HistoryView):
    pass


class ScopedUsageView(UserScopedObjectMixin, UsageView):
    pass


class ScopedEditView(UserScopedObjectMixin, EditView):
    pass


class ScopedChooseView(ChooseView):
    def get_object_list(self):
        return for_user(super().get_object_list(), self.request.user)


class ScopedChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return for_user(super().get_object_list(), self.request.user)


class ScopedChosenView(SnippetChosenView):
    def get_object(self, pk):
        return for_user(self.model_class.objects.all(), self.request.user).get(pk=pk)


class ScopedChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser that lists only the rows the user works with."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView


class RoomAreaWarningMixin:
    """Show the area warning after saving a room, and whenever an over-full venue's room is
    opened, so an over-planned layout never passes silently."""

    def form_valid(self, form):
        response = super().form_valid(form)
        warning = area_warning(self.object.venue)
        if warning:
            messages.warning(self.request, warning)
        return response


class RoomCreateView(UserScopedObjectMixin, RoomAreaWarningMixin, CreateView):
    pass


class RoomEditView(UserScopedObjectMixin, RoomAreaWarningMixin, EditView):
    def get(self, request, *args, **kwargs):
        warning = area_warning(self.object.venue)
        if warning:
            messages.warning(request, warning)
        return super().get(request, *args, **kwargs)


def _require_layout_permission(request):
    if not request.user.has_perm(LAYOUT_PERMISSION):
        raise PermissionDenied


def layout_index(request):
    """Every venue with its rooms' total area, placements, floor plan and label PDFs."""
    _require_layout_permission(request)
    venues = (
        for_user(Venue.objects.all(), request.user)
        .annotate(rooms_total=Sum("rooms__area_m2"), room_count=Count("rooms", distinct=True))
        .order_by("opens_on", "institution")
    )
    rows = []
    for venue in venues:
        placed = Placement.objects.filter(room__venue=venue)
        rows.append(
            {
                "venue": venue,
                "rooms_total": venue.rooms_total or 0,
                "warning": area_warning(venue),
                "placed": placed.count(),
                "printable": placed.visible_in(PRINT(venue)).count(),
            }
        )
    return TemplateResponse(
        request,
        "exhibition/admin/layout_index.html",
        {"rows": rows, "sizes": list(PAGE_SIZES), "title": _("Floor plans and labels")},
    )


def layout_floor_plan(request, venue_id: int):
    """The curators' floor plan: every placement, marking those the venue may not show."""
    _require_layout_permission(request)
    venue = get_object_or_404(for_user(Venue.objects.all(), request.user), pk=venue_id)
    plan = staff_plan(venue)
    return TemplateResponse(
        request,
        "exhibition/admin/floor_plan.html",
        {
            "venue": venue,
            "plan": plan,
            "svg": render_svg(plan, id_prefix="staff-plan"),
            "warning": area_warning(venue),
            "sizes": list(PAGE_SIZES),
        },
    )


def layout_labels_pdf(request, venue_id: int):
    """The venue's printed labels as a PDF: ``?language=sv&size=A6``."""
    _require_layout_permission(request)
    venue = get_object_or_404(for_user(Venue.objects.all(), request.user), pk=venue_id)
    language = request.GET.get("language") or (venue.languages or ["sv"])[0]
    size = request.GET.get("size", "A6")
    if language not in venue.languages or size not in PAGE_SIZES:
        return HttpResponse(
            _("Choose one of the venue's languages and a size (A5 or A6)."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    pdf = build_pdf(collect_labels(venue, language, size))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="labels-{venue.slug}-{language}-{size}.pdf"'
    )
    return response
