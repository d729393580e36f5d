"""Research articles: authors, abstract, body, references, linked objects and themes, and a
PDF of the article made with WeasyPrint at ``<article>/pdf/``."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from programme.models.base import ProgrammePageManager
from programme.models.events import RICH_TEXT_FEATURES, validate_web_url

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")


def validate_doi(value: str) -> None:
    if not DOI_RE.match(value or ""):
        raise ValidationError(
            _("Enter a DOI such as 10.1234/abcd.5678 (without https://doi.org/)."),
            code="invalid_doi",
        )


class ResearchIndexPage(Page):
    """The list of research articles."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    objects = ProgrammePageManager()

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["exhibition.HomePage"]
    subpage_types = ["programme.ResearchArticlePage"]

    class Meta:
        verbose_name = _("research index")

    def get_context(self, request, *args, **kwargs):
        from visibility.channels import WEB

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ResearchArticlePage.objects.visible_in(WEB)
            .child_of(self)
            .order_by("-first_published_at")
        )
        return context


class ResearchArticlePage(RoutablePageMixin, Page):
    """A research article, readable on the site and as a PDF."""

    abstract = models.TextField(_("abstract"))
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES)
    themes = ParentalManyToManyField(
        "stories.Theme", blank=True, related_name="+", verbose_name=_("themes")
    )

    objects = ProgrammePageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("abstract"),
        index.SearchField("body"),
    ]

    content_panels = [
        *Page.content_panels,
        InlinePanel("authors", heading=_("Authors"), label=_("author"), min_num=1),
        FieldPanel("abstract"),
        FieldPanel("body"),
        InlinePanel("references", heading=_("References"), label=_("reference")),
        InlinePanel("linked_objects", heading=_("Objects"), label=_("object")),
        FieldPanel("themes"),
    ]

    parent_page_types = ["programme.ResearchIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("research article")

    def get_context(self, request, *args, **kwargs):
        from programme.public import research_article_content

        context = super().get_context(request, *args, **kwargs)
        context.update(research_article_content(self))
        context["pdf_url"] = (self.get_url(request) or "") + self.reverse_subpage("pdf")
        return context

    @path("pdf/")
    def pdf(self, request):
        from programme.research_pdf import build_pdf

        response = HttpResponse(build_pdf(self, request), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.slug}.pdf"'
        return response

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if urls:
            urls.append({**urls[0], "location": urls[0]["location"] + "pdf/"})
        return urls


class ResearchAuthor(Orderable):
    page = ParentalKey(ResearchArticlePage, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("affiliation")]

    def __str__(self):
        return self.name


class ResearchReference(Orderable):
    page = ParentalKey(ResearchArticlePage, on_delete=models.CASCADE, related_name="references")
    citation = models.TextField(_("citation"))
    doi = models.CharField(
        _("DOI"), max_length=200, blank=True, validators=[validate_doi], help_text=_("Optional.")
    )
    url = models.URLField(
        _("URL"),
        max_length=500,
        blank=True,
        validators=[validate_web_url],
        help_text=_("Optional."),
    )

    panels = [FieldPanel("citation"), FieldPanel("doi"), FieldPanel("url")]

    def __str__(self):
        return self.citation[:80]

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class ResearchArticleObject(Orderable):
    page = ParentalKey(ResearchArticlePage, on_delete=models.CASCADE, related_name="linked_objects")
    object = models.ForeignKey(
        "collection.ObjectRecord",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("object"),
    )

    panels = [FieldPanel("object")]
