import functools
import operator

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from wagtail.contrib.sitemaps import Sitemap as WagtailPageSitemap
from wagtail.models import Page

from collection.models import ObjectRecord
from exhibition.models import Room, Venue
from stories.models import Perspective
from visibility.channels import WEB


class PageSitemap(WagtailPageSitemap):
    """Every live, public page of the site in every locale.

    Wagtail's own sitemap walks the site's root page only, which holds just the default
    language; each locale's tree hangs under a translation of that root.
    """

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_tree = functools.reduce(
            operator.or_, (Q(path__startswith=root.path) for root in roots)
        )
        return (
            Page.objects.filter(in_a_tree)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


class ObjectSitemap(Sitemap):
    """Every object the web may show, in every site language."""

    i18n = True

    def items(self):
        return ObjectRecord.objects.visible_in(WEB).only("pk", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class PublicViewsSitemap(Sitemap):
    """Public pages that are views rather than Wagtail pages, in every site language."""

    i18n = True

    def items(self):
        return [
            "tour",
            "collection:browse",
            "stories:perspective_list",
            "rooms:list",
            "search:search",
        ]

    def location(self, item):
        return reverse(item)


class PerspectiveSitemap(Sitemap):
    """Every perspective the web shows, in every site language."""

    i18n = True

    def items(self):
        return Perspective.objects.visible_in(WEB).only("pk", "slug", "updated_at").order_by("pk")

    def location(self, perspective):
        return reverse("stories:perspective", args=[perspective.slug])

    def lastmod(self, perspective):
        return perspective.updated_at


class RoomSitemap(Sitemap):
    """The room list and floor plan of every venue the web shows, and each of its rooms."""

    i18n = True

    def items(self):
        venues = [("rooms:venue_list", (v.slug,)) for v in Venue.objects.visible_in(WEB)]
        plans = [("rooms:floor_plan", args) for _name, args in venues]
        rooms = [
            ("rooms:room", (venue_slug, slug))
            for venue_slug, slug in Room.objects.visible_in(WEB)
            .order_by("venue", "visit_order", "pk")
            .values_list("venue__slug", "slug")
        ]
        return [*venues, *plans, *rooms]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


class StoriesSitemap(Sitemap):
    """Testimonies and questions the web shows, and their listings, in every site language."""

    i18n = True

    def items(self):
        from stories.models import Question
        from stories.public import has_allowed_text, web_testimonies

        listings = [("stories:testimony_list", ()), ("stories:questions", ())]
        testimonies = [
            ("stories:testimony", (t.slug,)) for t in web_testimonies() if has_allowed_text(t)
        ]
        questions = [
            ("stories:question", (slug,))
            for slug in Question.objects.visible_in(WEB)
            .order_by("pk")
            .values_list("slug", flat=True)
        ]
        return [*listings, *testimonies, *questions]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


sitemaps = {
    "pages": PageSitemap,
    "views": PublicViewsSitemap,
    "objects": ObjectSitemap,
    "perspectives": PerspectiveSitemap,
    "stories": StoriesSitemap,
    "rooms": RoomSitemap,
}
