"""Exhibition pages, events, research articles and teacher packs are searchable on the web:
by the curator's own words only, never by quoted voices, and only while they are public."""

from django.db import transaction

from wagtail.models import PageViewRestriction

import pytest

from programme.models import ResearchArticlePage, ResearchAuthor
from search import registry, service
from search.query import SearchQuery
from stories.factories import published_testimony
from tests.exhibition.test_narrative_blocks import build_tree, excerpt
from tests.programme.conftest import (  # the fixtures are used by name
    CONTACT,
    event_index,
    hidden_venue,
    in_days,
    make_event,
    vilnius,
)
from visibility.channels import VENUE, WEB

pytestmark = pytest.mark.django_db
__all__ = ["event_index", "hidden_venue", "vilnius"]

TIMELINE = (
    "timeline",
    {
        "heading": "Tidslinje",
        "events": [{"date": "omkring 1890", "year": 1890, "title": "BOMULLSHANDELN", "text": ""}],
    },
)


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.ELASTICSEARCH_URL = None


def hits(text):
    return service.search(SearchQuery(text=text, page_size=50)).hits


def kinds(text) -> set[str]:
    return {hit.kind for hit in hits(text)}


def test_the_page_kinds_are_registered():
    assert {"page", "event", "research", "teacher_pack"} <= {s.kind for s in registry.sources()}


def test_a_narrative_page_is_found_by_its_curated_words_not_by_quoted_voices(home_page):
    testimony = published_testimony()
    build_tree(
        home_page,
        [
            ("text", "<p>Om SJÖFARTSREGISTRET i hamnen.</p>"),
            TIMELINE,
            excerpt(testimony, text="HEMLIGA orden ur vittnesmålet"),
        ],
    )
    service.rebuild()
    [hit] = [h for h in hits("sjöfartsregistret") if h.kind == "page"]
    assert hit.url.endswith("/utstallningen/temat/berattelsen/")
    assert "page" in kinds("bomullshandeln")
    assert hits("hemliga") == []


def test_unpublishing_a_page_takes_it_out_at_once(home_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tree = build_tree(home_page, [("text", "<p>KAFFEKVARNEN</p>")])
    assert "page" in kinds("kaffekvarnen")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        tree.page.unpublish()
    assert hits("kaffekvarnen") == []


def test_a_restricted_page_is_never_indexed(home_page):
    tree = build_tree(home_page, [("text", "<p>LÖSENORDSSKYDDAD text</p>")])
    PageViewRestriction.objects.create(
        page=tree.section, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    service.rebuild()
    assert hits("lösenordsskyddad") == []


def test_events_are_found_at_announced_venues_without_the_organisers_contact(
    event_index, vilnius, hidden_venue
):
    make_event(
        event_index,
        vilnius,
        slug="open",
        start=in_days(3),
        title="SEMINARIET om skuld",
        organiser_contact=CONTACT,
    )
    make_event(event_index, hidden_venue, slug="hidden", start=in_days(3), title="DOLDA mötet")
    service.rebuild()
    [event] = [h for h in hits("seminariet") if h.kind == "event"]
    assert event.url.endswith("/open/")
    assert hits("dolda") == []
    assert hits("private.organiser") == []


def test_research_is_found_by_abstract_and_author(home_page):
    article = ResearchArticlePage(
        title="Artikeln",
        slug="artikeln",
        abstract="Om PROVENIENSFORSKNING i samlingarna.",
        body="<p>Brödtext.</p>",
    )
    article.authors.add(ResearchAuthor(name="Forskare Fiktiv", affiliation="Demo"))
    home_page.add_child(instance=article)
    service.rebuild()
    assert "research" in kinds("proveniensforskning")
    assert "research" in kinds("Fiktiv")


def test_pages_are_web_only(home_page, vilnius):
    build_tree(home_page, [("text", "<p>Text</p>")])
    source = next(s for s in registry.sources() if s.kind == "page")
    assert list(source.documents(VENUE(vilnius))) == []
    # The exhibition, the section and the narrative page.
    assert len(list(source.documents(WEB))) == 3
