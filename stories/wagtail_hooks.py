"""Stories in the Wagtail admin: voices, testimonies, perspectives, themes and support
information, plus the restricted views for identities and consent (stories/admin_views.py).

Testimonies and perspectives are published through the "Ethics review" workflow (set up by a
migration): curators edit and submit, ethics reviewers approve and publish.
"""

from django import forms
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from stories import (
    admin_urls,
    wagtail_hooks_contributions,  # noqa: F401 (registers the debate arena's admin)
)
from stories.models import ContentNote, Perspective, SupportResource, Testimony, Theme, Voice

# --- audit log actions ---------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "stories.identity.view", _("View real identity"), _("Viewed the real identity")
    )
    actions.register_action(
        "stories.identity.change", _("Change real identity"), _("Changed the real identity")
    )
    actions.register_action(
        "stories.identity.delete", _("Delete real identity"), _("Deleted the real identity")
    )
    actions.register_action("stories.consent.grant", _("Grant consent"), _("Recorded a consent"))
    actions.register_action(
        "stories.consent.change", _("Change consent"), _("Recorded a change of consent")
    )
    actions.register_action(
        "stories.consent.withdraw", _("Withdraw consent"), _("Withdrew all consent")
    )
    actions.register_action(
        "stories.consent.document",
        _("Open consent document"),
        _("Opened a signed consent document"),
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("stories/", include(admin_urls, namespace="stories_admin"))]


# --- voices --------------------------------------------------------------------------------


def consent_status(voice: Voice) -> str:
    consents = [c for c in voice.consents.all() if c.testimony_id is None]
    if not consents:
        return str(_("no consent"))
    if all(c.is_withdrawn for c in consents):
        return str(_("withdrawn"))
    labels = {
        "web": _("web"),
        "exhibition": _("exhibition"),
        "touring": _("touring"),
        "print": _("print"),
    }
    covered = sorted(
        {
            str(label)
            for c in consents
            if not c.is_withdrawn
            for k, label in labels.items()
            if getattr(c, k)
        }
    )
    expiry = min(
        (c.expires_on for c in consents if c.expires_on and not c.is_withdrawn), default=None
    )
    text = ", ".join(covered) or str(_("none"))
    return f"{text} ({_('until')} {expiry.isoformat()})" if expiry else text


def restricted_links(voice: Voice) -> str:
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("stories_admin:consent", args=[voice.pk]),
        _("Consent"),
        reverse("stories_admin:identity", args=[voice.pk]),
        _("Identity"),
    )


class VoiceViewSet(SnippetViewSet):
    model = Voice
    icon = "user"
    menu_label = _("Voices")
    list_display = [
        "display_name",
        "role",
        "country",
        Column("consent", label=_("Consent now"), accessor=consent_status),
        Column("restricted", label=_("Ethics review"), accessor=restricted_links),
        "is_fictional_demo",
    ]
    list_filter = ["role", "is_fictional_demo"]
    search_fields = ["display_name", "organisation"]
    panels = [
        FieldPanel("display_name"),
        FieldRowPanel([FieldPanel("role"), FieldPanel("organisation")]),
        FieldRowPanel([FieldPanel("country"), FieldPanel("language_codes")]),
        FieldPanel("portrait"),
        FieldPanel("local_venue"),
        FieldPanel("is_fictional_demo"),
    ]

    def get_queryset(self, request):
        return Voice.objects.prefetch_related("consents")


# --- testimonies ---------------------------------------------------------------------------


class TestimonyForm(WagtailAdminModelForm):
    content_notes = forms.MultipleChoiceField(
        label=_("Content notes"),
        choices=ContentNote.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The testimony stays hidden behind these notes until the visitor chooses."),
    )


class TestimonyViewSet(SnippetViewSet):
    model = Testimony
    icon = "openquote"
    menu_label = _("Testimonies")
    list_display = ["__str__", "voice", "minimum_age", "live", "updated_at"]
    list_filter = ["live", "minimum_age"]
    search_fields = ["slug", "texts__title"]
    edit_handler_panels = [
        MultiFieldPanel(
            [
                FieldPanel("voice"),
                FieldPanel("slug"),
                FieldPanel("themes"),
                FieldPanel("content_notes"),
                FieldPanel("minimum_age"),
            ],
            heading=_("Testimony"),
        ),
        InlinePanel("texts", heading=_("Texts per language"), min_num=1),
        InlinePanel("pull_quotes", heading=_("Pull quotes")),
        MultiFieldPanel(
            [FieldPanel("media_kind"), FieldPanel("media_file"), FieldPanel("duration_seconds")],
            heading=_("Recording"),
        ),
        InlinePanel("tracks", heading=_("Transcripts and captions (WebVTT)")),
        InlinePanel("segments", heading=_("Segments")),
        InlinePanel("object_links", heading=_("Objects it speaks about")),
    ]
    edit_handler = ObjectList(edit_handler_panels, base_form_class=TestimonyForm)


# --- perspectives, themes, support -----------------------------------------------------------


class PerspectiveViewSet(SnippetViewSet):
    model = Perspective
    icon = "group"
    menu_label = _("Perspectives")
    list_display = ["__str__", "slug", "live", "updated_at"]
    panels = [
        FieldPanel("slug"),
        FieldPanel("themes"),
        InlinePanel("texts", heading=_("Question per language"), min_num=1),
        InlinePanel("positions", heading=_("Positions (at least two voices)"), min_num=2),
    ]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Themes")
    list_display = ["name", "slug", "locale"]


class SupportResourceViewSet(SnippetViewSet):
    model = SupportResource
    icon = "help"
    menu_label = _("Support and help lines")
    list_display = ["name", "kind", "country", "phone", "is_active", "locale"]
    list_filter = ["kind", "country", "is_active"]


class StoriesViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Stories")
    menu_icon = "openquote"
    menu_order = 210
    items = (
        VoiceViewSet,
        TestimonyViewSet,
        PerspectiveViewSet,
        ThemeViewSet,
        SupportResourceViewSet,
    )


register_snippet(StoriesViewSetGroup)
