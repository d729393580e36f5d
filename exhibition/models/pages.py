"""The online exhibition's page tree: home → exhibition → sections (themes) → narrative pages.

Only the page types live here; the narrative page with its StreamField is in
:mod:`exhibition.models.narrative`. Listings select live, public pages; the rooms and the floor
plan come from the physical layout through ``visible_in(WEB)``.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from exhibition.models.rooms import Placement, Room
from exhibition.models.venues import Venue
from visibility.channels import WEB

INTRO_FEATURES = ["bold", "italic", "link", "h2", "h3", "ol", "ul"]


def live_children(page: Page, page_type) -> list[Page]:
    """``page``'s live, public children of ``page_type``, in the editors' order."""
    return list(page.get_children().type(page_type).live().public().specific().defer_streamfields())


class HomePage(Page):
    """The site's front page, one translation per locale."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "exhibition.ExhibitionPage",
        "programme.EventIndexPage",
        "programme.ResearchIndexPage",
        "programme.TeacherPackPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["exhibitions"] = live_children(self, ExhibitionPage)
        return context


class ExhibitionPage(Page):
    """The online exhibition: its sections (themes), the rooms of the physical show and the
    floor plan of the home museum."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["exhibition.HomePage"]
    subpage_types = ["exhibition.SectionPage"]

    class Meta:
        verbose_name = _("exhibition page")
        verbose_name_plural = _("exhibition pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = live_children(self, SectionPage)
        venue = Venue.objects.visible_in(WEB).filter(is_home_museum=True).first()
        context["venue"] = venue
        context["rooms"] = []
        if venue is not None:
            visible = Placement.objects.visible_in(WEB).values("pk")
            context["rooms"] = list(
                Room.objects.visible_in(WEB)
                .filter(venue=venue)
                .prefetch_related("texts__locale")
                .annotate(object_count=Count("placements", filter=Q(placements__in=visible)))
                .order_by("visit_order", "pk")
            )
        return context


class SectionPage(Page):
    """A theme of the show (e.g. the trade in people), listing its narrative pages."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["exhibition.ExhibitionPage"]
    subpage_types = ["exhibition.NarrativePage"]

    class Meta:
        verbose_name = _("section page")
        verbose_name_plural = _("section pages")

    def get_context(self, request, *args, **kwargs):
        from exhibition.models.narrative import NarrativePage

        context = super().get_context(request, *args, **kwargs)
        context["narratives"] = live_children(self, NarrativePage)
        siblings = live_children(self.get_parent(), SectionPage)
        index_of = next((i for i, s in enumerate(siblings) if s.pk == self.pk), None)
        if index_of is not None:
            context["previous_section"] = siblings[index_of - 1] if index_of > 0 else None
            context["next_section"] = (
                siblings[index_of + 1] if index_of + 1 < len(siblings) else None
            )
        return context
