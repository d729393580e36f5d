import re

import pytest

from tests.crawler import Crawler, client_fetcher

pytestmark = pytest.mark.django_db


def test_home_page_in_swedish_and_english(client, english_home):
    swedish = client.get("/")
    assert swedish.status_code == 200
    assert '<html lang="sv">' in swedish.text
    assert "Hoppa till innehållet" in swedish.text
    english = client.get("/en/")
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert "Trafficking (en)" in english.text
    assert "Skip to content" in english.text


def test_language_switcher_links_translations(client, english_home):
    text = client.get("/").text
    assert re.search(r'<a href="/en/" hreflang="en" lang="en">English</a>', text)
    assert re.search(r'<span aria-current="true" lang="sv">svenska</span>', text)


def test_every_page_has_landmarks_skip_link_and_quick_exit(client, english_home):
    for path in ("/", "/en/", "/tour/", "/en/tour/", "/no-such-page/"):
        text = client.get(path).text
        assert 'class="skip-link" href="#main"' in text, path
        assert '<main id="main"' in text, path
        assert "<header" in text and "<footer" in text and "<nav" in text, path
        assert re.search(
            r'<a class="quick-exit__button" href="/q/" rel="noreferrer" data-quick-exit>', text
        ), path


def test_quick_exit_landing_is_neutral(client):
    response = client.get("/q/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    text = response.text.lower()
    for word in ("traffick", "museum", "museet", "utställning", "exhibition"):
        assert word not in text


def test_unknown_page_is_a_friendly_404(client, home_page):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_unpublished_translation_is_not_public(client, english_home):
    english_home.unpublish()
    response = client.get("/en/")
    # Wagtail falls back to the Swedish page, marked as Swedish, never the unpublished text.
    assert "Trafficking (en)" not in response.text
    assert '<article class="home" lang="sv">' in response.text
    assert "/en/</loc>" not in client.get("/sitemap.xml").text


def test_sitemap_lists_every_public_page(client, english_home):
    pages = Crawler(client_fetcher(client)).crawl()
    sitemap = client.get("/sitemap.xml").text
    listed = {
        re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)
    }
    html_pages = {
        path
        for path, fetched in pages.items()
        if fetched.status == 200
        and fetched.content_type.startswith("text/html")
        and path != "/q/"
        # Search results (queries, filters, pages) are not pages for a sitemap.
        and "?" not in path
    }
    assert {"/", "/en/", "/tour/", "/en/tour/"} <= html_pages
    assert html_pages <= listed


def test_no_page_refers_to_another_host(client, english_home):
    crawler = Crawler(client_fetcher(client))
    pages = crawler.crawl()
    assert crawler.external_resources(pages) == []
    assert all(f.status in (200, 301, 302) for f in pages.values()), {
        p: f.status for p, f in pages.items() if f.status >= 400
    }
