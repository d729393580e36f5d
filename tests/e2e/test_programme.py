from urllib.parse import urljoin, urlsplit

import icalendar
import pytest

from tests.e2e.conftest import serious_axe_violations

LISTING = "/program/"
ARTICLE = "/forskning/demo-foremal-och-skuld/"
PACK = "/larare-13-15/"


@pytest.mark.parametrize(
    "path", [LISTING, LISTING + "archive/", ARTICLE, PACK, "/en" + LISTING, "/en" + ARTICLE]
)
def test_programme_pages_have_no_serious_axe_violations(page, demo_site, axe_source, path):
    response = page.goto(demo_site + path)
    assert response.status == 200
    assert serious_axe_violations(page, axe_source) == []


def test_a_visitor_filters_the_programme_opens_an_event_and_gets_the_feed(
    page, demo_site, axe_source
):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_site + LISTING)
    assert page.locator(".event-card").count() >= 3
    # The filter form is a plain GET form.
    page.select_option("#id_kind", "school_visit")
    page.locator(".filters button[type=submit]").click()
    assert "kind=school_visit" in page.url
    cards = page.locator(".event-card")
    assert cards.count() >= 1
    titles = cards.locator(".event-card__title").all_text_contents()
    assert titles and all("Skolbesök" in title for title in titles)

    cards.first.locator("a").first.click()
    assert page.locator("h1").inner_text().startswith("Skolbesök")
    assert "Europe/Stockholm" in page.locator(".event__facts .event__zone").inner_text()
    assert serious_axe_violations(page, axe_source) == []

    feed_link = page.locator('a[type="text/calendar"]').first
    feed_url = urljoin(page.url, feed_link.get_attribute("href"))
    feed = page.request.get(feed_url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "attachment" in feed.headers["content-disposition"]
    calendar = icalendar.Calendar.from_ical(feed.body())
    assert calendar.walk("VEVENT")
    assert calendar.walk("VTIMEZONE")

    origin = urlsplit(demo_site).netloc
    assert [url for url in requested if urlsplit(url).netloc != origin] == []
    assert page.console_errors == []


def test_the_archive_keeps_past_events(page, demo_site):
    page.goto(demo_site + LISTING)
    page.locator(".programme__views a").nth(1).click()
    assert page.url.endswith("/program/archive/")
    assert page.locator(".event-card").count() >= 1


def test_the_research_article_and_its_pdf(page, demo_site):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_site + ARTICLE)
    assert "Föremål och skuld" in page.locator("h1").inner_text()
    href = page.locator('a[type="application/pdf"]').get_attribute("href")
    pdf = page.request.get(urljoin(page.url, href))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    origin = urlsplit(demo_site).netloc
    assert [url for url in requested if urlsplit(url).netloc != origin] == []
