"""Venue API tokens in the Wagtail admin: list, create (the secret is shown once), revoke.

Only staff with ``venue_api.manage_venueapitoken`` see any of it (a superuser has every
permission). Tokens are never edited or deleted: a token that should stop working is revoked,
and the row stays as a record of who could pull packages when.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import CreateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from venue_api.models import MANAGE_PERMISSION, VenueApiToken


class TokenPermissionPolicy(ModelPermissionPolicy):
    """One permission for everything; nobody edits or deletes a token (revoke instead)."""

    NOBODY = frozenset({"delete"})

    def user_has_permission(self, user, action):
        if action in self.NOBODY or not user.is_active:
            return False
        return user.has_perm(MANAGE_PERMISSION)

    def users_with_any_permission(self, actions):
        if set(actions) <= self.NOBODY:
            return self._get_users_with_any_permission_codenames(set()).none()
        return self._get_users_with_any_permission_codenames({"manage_venueapitoken"})


register_permission_policy(VenueApiToken, TokenPermissionPolicy(VenueApiToken))


class TokenForm(forms.ModelForm):
    class Meta:
        model = VenueApiToken
        fields = ["venue", "name", "expires_at"]

    def clean_expires_at(self):
        value = self.cleaned_data.get("expires_at")
        if value and value <= timezone.now():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return value


class TokenCreateView(CreateView):
    """Creates the token and shows its secret on the response page: never again, never
    stored, never in a redirect URL or a message that could be cached."""

    def form_valid(self, form):
        token, secret = VenueApiToken.issue(
            form.cleaned_data["venue"],
            form.cleaned_data["name"],
            created_by=self.request.user,
            expires_at=form.cleaned_data.get("expires_at"),
        )
        log(instance=token, action="wagtail.create", user=self.request.user)
        response = TemplateResponse(
            self.request,
            "venue_api/admin/token_created.html",
            {
                **self.get_context_data(form=form),
                "token": token,
                "secret": secret,
                "index_url": reverse(self.index_url_name),
            },
        )
        add_never_cache_headers(response)
        return response


class TokenRevokeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A token's details, and the button that revokes it."""

    model = VenueApiToken
    permission_required = "change"
    template_name = "venue_api/admin/token_revoke.html"
    index_url_name = None
    header_icon = "key"
    page_title = _("Venue API token")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            VenueApiToken.objects.select_related("venue", "created_by"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            token=self.object, index_url=reverse(self.index_url_name), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if self.object.revoked_at is None:
            self.object.revoke()
            log(instance=self.object, action="venue_api.token.revoke", user=request.user)
            messages.success(
                request,
                gettext("Token “%(name)s” revoked: it no longer works.")
                % {"name": self.object.name},
            )
        return redirect(self.index_url_name)


class VenueApiTokenViewSet(ModelViewSet):
    model = VenueApiToken
    icon = "key"
    menu_label = _("Venue API tokens")
    menu_order = 820
    add_to_settings_menu = True
    form_fields = ["venue", "name", "expires_at"]
    list_filter = ["venue"]
    search_fields = None
    ordering = ["-created_at"]
    add_view_class = TokenCreateView
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return TokenForm

    @cached_property
    def list_display(self):
        return [
            TitleColumn("name", label=_("Name"), url_name=self.get_url_name("revoke")),
            Column("venue", label=_("Venue")),
            Column("prefix", label=_("Starts with")),
            DateColumn("created_at", label=_("Created"), sort_key="created_at"),
            DateColumn("last_used_at", label=_("Last used")),
            DateColumn("expires_at", label=_("Expires")),
            StatusTagColumn("status", label=_("Status"), primary=lambda t: t.is_active),
        ]

    @property
    def revoke_view(self):
        return self.construct_view(TokenRevokeView)

    def get_urlpatterns(self):
        # No edit or delete: a token is created, used, and revoked.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("add/", self.add_view, name="add"),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="manage_venueapitoken")
