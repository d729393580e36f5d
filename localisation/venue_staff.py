"""Venue staff see and edit only their own venue's rooms and placements.

A permission policy for ``Room`` and ``Placement``: the model permissions (Django groups)
decide *what* a user may do, and for a user linked to venues through ``VenueStaff`` the
instances are limited to those venues, and the layout fields of rooms and placements are
read-only for them. The exhibition admin asks the policy for the rows it lists and edits and
the fields it locks, so it needs no knowledge of venue staff.
"""

from django.db.models import Q

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

# What venue staff may not change: where rooms and objects are. Names and labels stay editable.
ROOM_LAYOUT_FIELDS = ("venue", "slug", "visit_order", "area_m2", "theme", "shape")
PLACEMENT_LAYOUT_FIELDS = ("room", "object", "kind", "position", "x_m", "y_m", "visit_order")


def staff_venue_ids(user) -> set[int] | None:
    """The venues ``user`` is restricted to, or ``None`` when unrestricted (museum staff,
    superusers). Cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(user, "_venue_staff_ids", False)
    if cached is not False:
        return cached
    from localisation.models import VenueStaff

    ids = set(VenueStaff.objects.filter(user=user).values_list("venue_id", flat=True))
    user._venue_staff_ids = ids or None
    return user._venue_staff_ids


class VenueScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, limited to the user's venues for venue staff.

    ``venue_field`` is the lookup from the model to its venue's id, e.g. ``venue_id`` or
    ``room__venue_id``. ``locked_fields`` are the fields venue staff may not change (the
    layout: they translate and edit texts, the museum plans the rooms).
    """

    def __init__(self, model, venue_field: str, locked_fields=()):
        super().__init__(model)
        self.venue_field = venue_field
        self.locked_fields = frozenset(locked_fields)

    def _venue_id(self, instance):
        value = instance
        for part in self.venue_field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def _allowed(self, user, instance) -> bool:
        venues = staff_venue_ids(user)
        return venues is None or self._venue_id(instance) in venues

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._allowed(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._allowed(user, instance)

    def venue_q(self, user) -> Q:
        venues = staff_venue_ids(user)
        return Q() if venues is None else Q(**{f"{self.venue_field}__in": venues})

    def fields_locked_for_user(self, user) -> frozenset[str]:
        """Fields the admin shows read-only to ``user`` (the exhibition admin asks)."""
        return frozenset() if staff_venue_ids(user) is None else self.locked_fields

    def filter_queryset_for_user(self, user, queryset):
        """Narrow ``queryset`` to the user's venues (the exhibition admin calls this)."""
        return queryset.filter(self.venue_q(user))

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(self.venue_q(user))


def register_policies() -> None:
    """Register the venue-scoped policies for venues, rooms and placements (once)."""
    from exhibition.models import Placement, Room, Venue

    scopes = (
        (Venue, "pk", ()),
        (Room, "venue_id", ROOM_LAYOUT_FIELDS),
        (Placement, "room__venue_id", PLACEMENT_LAYOUT_FIELDS),
    )
    for model, venue_field, locked in scopes:
        if not isinstance(
            policy_registry.get_by_type(model, fallback=False), VenueScopedPermissionPolicy
        ):
            register_permission_policy(
                model, VenueScopedPermissionPolicy(model, venue_field, locked), exact_class=True
            )
