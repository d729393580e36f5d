"""Browser tests of the search page: accessible, usable without JavaScript, suggestions with it."""

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import serious_axe_violations

SEARCH_PATHS = [
    "/sok/",
    "/sok/?q=m%C3%A4nniskor",
    "/sok/?q=sk%C3%A5l&ownership=own",
    "/en/sok/?q=mask&sort=oldest",
    "/en/sok/?q=zzzzqqq",
]


@pytest.mark.parametrize("path", SEARCH_PATHS)
def test_search_pages_have_no_serious_or_critical_axe_violations(page, demo_site, axe_source, path):
    page.goto(demo_site + path)
    assert serious_axe_violations(page, axe_source) == []


def test_search_from_the_header_and_filter_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/")
    page.locator(".site-nav").get_by_role("link", name="Sök", exact=True).click()
    page.wait_for_url(demo_site + "/sok/")
    page.get_by_label("Sök i utställningen och samlingen").fill("skål")
    page.get_by_label("Sök i utställningen och samlingen").press("Enter")
    page.wait_for_url("**/sok/?q=sk%C3%A5l**")
    assert page.locator(".search-hit").count() > 0
    assert "Skål" in page.locator(".search-hits").inner_text()
    page.get_by_label("Museets egna", exact=False).first.check()
    page.get_by_role("button", name="Använd filter").click()
    assert "ownership=own" in page.url
    assert page.locator(".search-hit").count() > 0
    context.close()


def test_suggestions_appear_while_typing(page, demo_site):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_site + "/en/sok/")
    page.get_by_label("Search the exhibition and the collection").press_sequentially(
        "mas", delay=30
    )
    page.locator("#search-suggest-list a").first.wait_for()
    assert "Dance mask" in page.locator("#search-suggest-list").inner_text()
    origin = urlsplit(demo_site).netloc
    assert [url for url in requested if urlsplit(url).netloc != origin] == []
    assert page.console_errors == []


@pytest.mark.parametrize("width", [320, 1280])
def test_search_page_fits_the_screen(browser, demo_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(demo_site + "/sok/?q=sk%C3%A5l")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, (width, overflow)
    context.close()
