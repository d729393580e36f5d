"""The online exhibition's pages in search: the exhibition, its sections and narrative pages.

A narrative page contributes its title, introduction, its rich-text blocks, quotes from
published sources and its timelines: the curator's own words. Blocks that show objects or
voices (object, comparison, testimony excerpt, perspective, audio, image detail) are left
out: objects are searchable in their own right, and a voice's words must leave search the
moment consent is withdrawn.
"""

from django.utils.translation import gettext_lazy as _

from exhibition.models import ExhibitionPage, NarrativePage, SectionPage
from search.pages import PageSource, rich_text

CURATORS_BLOCKS = {"text", "quote", "timeline"}


class ExhibitionPageSearch(PageSource):
    kind = "page"
    label = _("Exhibition page")
    page_models = (ExhibitionPage, SectionPage, NarrativePage)

    def page_text(self, page):
        yield rich_text(getattr(page, "intro", ""))
        for block in getattr(page, "body", None) or []:
            if block.block_type not in CURATORS_BLOCKS:
                continue
            if block.block_type == "text":
                yield rich_text(block.value)
            elif block.block_type == "quote":
                yield block.value["quote"]
                yield block.value["attribution"]
            elif block.block_type == "timeline":
                yield block.value["heading"]
                for event in block.value["events"]:
                    yield " ".join((event["date"], event["title"], event["text"] or ""))


SOURCES = [ExhibitionPageSearch]
