from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import serious_axe_violations

PATHS = [
    "/exhibition/floor-plan/goteborg/",
    "/en/exhibition/floor-plan/goteborg/",
    "/exhibition/rooms/",
    "/exhibition/rooms/goteborg/handeln/",
    "/en/exhibition/rooms/goteborg/handeln/",
]


@pytest.mark.parametrize("path", PATHS)
def test_rooms_and_floor_plan_have_no_serious_axe_violations(page, demo_site, axe_source, path):
    page.goto(demo_site + path)
    assert serious_axe_violations(page, axe_source) == []


def test_a_visitor_walks_from_the_home_page_to_a_room_and_an_object(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_site + "/en/")
    page.get_by_role("link", name="Walk through the rooms of the exhibition").click()
    page.get_by_role("link", name="The trade", exact=True).click()
    assert page.locator("h1").inner_text() == "The trade"
    page.locator(".placement__title a").first.click()
    assert "/collection/" in page.url
    page.goto(demo_site + "/en/exhibition/floor-plan/goteborg/")
    assert page.locator("svg[role=group] > title").first.text_content().startswith("Floor plan")
    assert page.locator(".floor-plan__objects li").count() >= 40
    origin = urlsplit(demo_site).netloc
    assert [url for url in requested if urlsplit(url).netloc != origin] == []
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_floor_plan_fits_the_screen(browser, demo_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(demo_site + "/exhibition/floor-plan/goteborg/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()
