"""The debate arena in the Wagtail admin: visitor questions, and the moderation of answers.

Who moderates: Ethics reviewers and Educators (``stories.moderate_contribution``, given by
migration 0003). Ethics reviewers because approving makes a visitor a public voice with a
consent in the ledger, which is their responsibility everywhere else; Educators because the
programme staff run the debate with visitors (DESIGN.md: educators moderate contributions).
Curators are left out on purpose: they choose and write the exhibition's voices, and as they
cannot publish testimony without an ethics review, they do not publish visitors' voices
alone either. They may write the questions.

Nobody adds, edits or deletes a contribution here: a visitor's words are approved as written
or rejected. Deletion is the retention purge's job (``manage.py purge_contributions``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

import django_filters

from stories.contributions.actions import (
    MODERATE_PERMISSION,
    ApproveContribution,
    ModerationError,
    RejectContribution,
)
from stories.models import Contribution, Question

# --- Permissions ----------------------------------------------------------------------


class ContributionPermissionPolicy(ModelPermissionPolicy):
    """Every admin action on contributions is "moderate"; adding and deleting are nobody's
    (not even a superuser's: contributions come from the public form, and go by the purge)."""

    NOBODY = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        if action in self.NOBODY or not user.is_active:
            return False
        return user.has_perm(MODERATE_PERMISSION)

    def users_with_any_permission(self, actions):
        if set(actions) <= self.NOBODY:
            return self._get_users_with_any_permission_codenames(set()).none()
        return self._get_users_with_any_permission_codenames({"moderate_contribution"})


register_permission_policy(Contribution, ContributionPermissionPolicy(Contribution))


# --- Questions ------------------------------------------------------------------------


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    add_to_admin_menu = False
    list_display = ["__str__", "slug", "live", "accepts_contributions", "updated_at"]
    list_filter = ["live", "accepts_contributions"]
    search_fields = ["slug", "texts__text"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("live"),
                FieldPanel("accepts_contributions"),
                FieldPanel("perspective"),
            ],
            heading=_("Question"),
        ),
        InlinePanel("texts", heading=_("Texts"), label=_("Text"), min_num=1),
    ]


# --- Contributions --------------------------------------------------------------------


class ContributionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Contribution.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    question = django_filters.ModelChoiceFilter(
        label=_("Question"), queryset=Question.objects.all(), empty_label=_("Any question")
    )

    class Meta:
        model = Contribution
        fields = ["status", "question"]


def excerpt(contribution: Contribution) -> str:
    return Truncator(contribution.text).chars(90)


def flags(contribution: Contribution) -> str:
    found = []
    if contribution.looks_like_contact_details:
        found.append(gettext("may hold contact details or a link"))
    if getattr(contribution, "same_client_pending", 0):
        found.append(
            ngettext(
                "%(count)s other pending from the same client",
                "%(count)s others pending from the same client",
                contribution.same_client_pending,
            )
            % {"count": contribution.same_client_pending}
        )
    return "; ".join(found)


def same_client_pending():
    """How many *other* pending contributions share the row's client key."""
    others = (
        Contribution.objects.pending()
        .filter(client_key=OuterRef("client_key"))
        .exclude(client_key="")
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("client_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(others), 0)


class ContributionIndexView(IndexView):
    """Pending contributions first: the listing opens on what waits for a moderator."""

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "status" not in kwargs["data"]:
            data = kwargs["data"].copy()
            data["status"] = Contribution.Status.PENDING
            kwargs["data"] = data
        return kwargs

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("question")
            .annotate(same_client_pending=same_client_pending())
        )


class ModerateView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One contribution, read in full, approved or rejected with a note."""

    model = Contribution
    permission_required = "change"
    template_name = "stories/contributions/admin/moderate.html"
    index_url_name = None
    edit_url_name = None
    history_url_name = None
    header_icon = "comment"
    page_title = _("Moderate")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Contribution.objects.select_related("question", "moderated_by"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": Contribution._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        contribution = self.object
        others = (
            Contribution.objects.pending()
            .filter(client_key=contribution.client_key)
            .exclude(pk=contribution.pk)
            .count()
            if contribution.client_key
            else 0
        )
        return super().get_context_data(
            contribution=contribution,
            question_text=contribution.question.text_for(contribution.language),
            same_client_pending=others,
            history_url=reverse(self.history_url_name, args=[contribution.pk]),
            index_url=reverse(self.index_url_name),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        note = request.POST.get("note", "")[:2000]
        action = request.POST.get("action")
        try:
            if action == "approve":
                ApproveContribution(self.object, user=request.user, note=note).execute()
                messages.success(request, gettext("Approved: the answer is shown on the website."))
            elif action == "reject":
                was_public = self.object.status == Contribution.Status.APPROVED
                RejectContribution(self.object, user=request.user, note=note).execute()
                messages.success(
                    request,
                    gettext("Taken down: the answer is no longer shown.")
                    if was_public
                    else gettext("Rejected: the answer will not be shown."),
                )
            elif action == "reject_client" and self.object.client_key:
                count = self.reject_same_client(note)
                messages.success(
                    request,
                    ngettext(
                        "Rejected %(count)s answer from this client.",
                        "Rejected %(count)s answers from this client.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.error(request, gettext("Choose approve or reject."))
                return redirect(self.edit_url_name, self.object.pk)
        except ModerationError as error:
            messages.error(request, str(error))
            return redirect(self.edit_url_name, self.object.pk)
        except PermissionDenied:
            raise
        return redirect(self.index_url_name)

    def reject_same_client(self, note: str) -> int:
        pending = Contribution.objects.pending().filter(client_key=self.object.client_key)
        count = 0
        for contribution in pending:
            RejectContribution(contribution, user=self.request.user, note=note).execute()
            count += 1
        return count


class ContributionViewSet(ModelViewSet):
    model = Contribution
    icon = "comment"
    menu_label = _("Contributions")
    add_to_admin_menu = False
    index_view_class = ContributionIndexView
    filterset_class = ContributionFilterSet
    ordering = ["-submitted_at"]
    list_per_page = 50
    search_fields = None
    inspect_view_enabled = False
    copy_view_enabled = False

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "text",
                label=_("Answer"),
                accessor=excerpt,
                url_name=self.get_url_name("edit"),
            ),
            Column("question", label=_("Question"), accessor=lambda c: c.question.slug),
            Column(
                "display_name",
                label=_("Name"),
                accessor=lambda c: c.display_name or gettext("anonymous"),
            ),
            Column("language", label=_("Language")),
            DateColumn("submitted_at", label=_("Sent"), sort_key="submitted_at"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                primary=lambda c: c.status == Contribution.Status.PENDING,
            ),
            Column("flags", label=_("Check"), accessor=flags),
        ]

    @property
    def edit_view(self):
        return self.construct_view(ModerateView)

    def get_urlpatterns(self):
        # Only the listing, the moderation screen and the history: no add, edit or delete.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("moderate/<int:pk>/", self.edit_view, name="edit"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="moderate_contribution")


class DebateViewSetGroup(ViewSetGroup):
    menu_label = _("Visitor debate")
    menu_icon = "comment"
    menu_order = 310
    items = (QuestionViewSet("visitor_questions"), ContributionViewSet("visitor_contributions"))
