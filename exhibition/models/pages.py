from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The site's front page, one translation per locale."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "h2", "h3", "ol", "ul"]
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = []  # the exhibition issue adds the exhibition and section pages

    class Meta:
        verbose_name = _("home page")
