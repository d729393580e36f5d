"""Narrative pages: the curator's story of one part of a section, told in a StreamField of
text, objects and voices (see :mod:`exhibition.blocks`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from config.csp import DEEP_ZOOM_PAGE_CSP
from exhibition.blocks import DEEP_ZOOM_BLOCKS, NarrativeBlock
from exhibition.blocks.objects import PublicObjectCache, chosen_object_pks


class NarrativePage(Page):
    """A page of the online exhibition under a section. Every block that shows an object or a
    voice checks, each time the page is rendered, that the web may show it that day."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=600,
        help_text=_("One or two sentences, shown under the title and in the section's list."),
    )
    body = StreamField(NarrativeBlock(), blank=True, verbose_name=_("body"))

    # The body is not indexed: blocks that quote voices or objects can be withdrawn at any
    # time, and a search index would keep their words.
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["exhibition.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("narrative page")
        verbose_name_plural = _("narrative pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["deep_zoom"] = any(block.block_type in DEEP_ZOOM_BLOCKS for block in self.body)
        # Per-render caches the blocks share: every chosen object is loaded in one go, and a
        # testimony chosen by two blocks is checked once. Visibility is still checked anew on
        # every render.
        context["narrative_objects"] = PublicObjectCache(
            pk for block in self.body for pk in chosen_object_pks(block.block_type, block.value)
        )
        context["narrative_memo"] = {}
        parent = self.get_parent()
        context["section"] = parent.specific if parent else None
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The deep-zoom viewer needs the same narrow style allowance as object pages.
        response._csp_update = DEEP_ZOOM_PAGE_CSP
        return response
