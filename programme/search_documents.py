"""The programme in search: events (at venues the web shows), research articles and teacher
packs. Organisers' contact details are never part of a document."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programme.models import EventPage, ResearchArticlePage, TeacherPackPage
from search.pages import PageSource, rich_text


class EventSearch(PageSource):
    kind = "event"
    label = pgettext_lazy("programme", "Event")
    page_models = (EventPage,)

    def page_text(self, page):
        yield rich_text(page.description)
        yield page.organiser_name
        yield page.get_kind_display()

    def page_facets(self, page):
        return {"venue": [page.venue.institution]}

    def page_dates(self, page):
        start = page.local_start
        return {
            "year_start": start.year,
            "year_end": start.year,
            "date_label": start.date().isoformat(),
        }

    def page_queryset(self, model, channel):
        return super().page_queryset(model, channel).select_related("venue")

    def dependencies(self):
        from exhibition.models import Venue

        def events_at(venue):
            return [str(key) for key in venue.events.values_list("translation_key", flat=True)]

        return {**super().dependencies(), Venue: events_at}


class ResearchSearch(PageSource):
    kind = "research"
    label = _("Research article")
    page_models = (ResearchArticlePage,)

    def page_text(self, page):
        yield page.abstract
        yield rich_text(page.body)

    def page_keywords(self, page):
        return [author.name for author in page.authors.all()]


class TeacherPackSearch(PageSource):
    kind = "teacher_pack"
    label = _("Teacher pack")
    page_models = (TeacherPackPage,)

    def page_text(self, page):
        yield rich_text(page.intro)


SOURCES = [EventSearch, ResearchSearch, TeacherPackSearch]
