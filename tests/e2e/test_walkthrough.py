"""A visitor walks the whole online exhibition of the demo site, in a real browser.

From the home page to the exhibition, every section, every narrative page, every room and
every object linked from the rooms, and the floor plan: each page is checked with axe-core
(no serious or critical violation), and any request to a host other than the test server is
blocked and reported. Curators' label PDF is fetched through its link in the admin.
"""

from urllib.parse import urljoin, urlsplit

import pytest

from tests.e2e.conftest import serious_axe_violations


class Walk:
    """A browser context that refuses and records requests to any other host."""

    def __init__(self, browser, site: str, **options):
        self.site = site
        self.origin = urlsplit(site).netloc
        self.foreign: list[str] = []
        self.context = browser.new_context(**options)
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.violations: dict[str, list] = {}
        self.visited: list[str] = []

    def _guard(self, route):
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != self.origin:
            self.foreign.append(url)
            route.abort()
        else:
            route.continue_()

    def visit(self, url: str, axe_source: str | None = None) -> None:
        response = self.page.goto(urljoin(self.site, url), wait_until="networkidle")
        assert response is not None and response.status == 200, url
        self.visited.append(url)
        if axe_source is not None:
            found = serious_axe_violations(self.page, axe_source)
            if found:
                self.violations[url] = found

    def links(self, selector: str) -> list[str]:
        hrefs = self.page.locator(selector).evaluate_all("links => links.map(a => a.href)")
        return list(dict.fromkeys(hrefs))

    def close(self):
        self.context.close()


def test_a_visitor_walks_from_the_home_page_through_the_whole_exhibition(
    browser, demo_site, axe_source
):
    walk = Walk(browser, demo_site)
    try:
        walk.visit("/", axe_source)
        exhibitions = walk.links(".home__exhibition a")
        assert len(exhibitions) == 1
        walk.visit(exhibitions[0], axe_source)
        sections = walk.links(".exhibition .narrative-list a")
        rooms = walk.links(".exhibition .room-list a")
        floor_plans = walk.links(".exhibition a[href*='/exhibition/floor-plan/']")
        assert len(sections) == 4 and len(rooms) == 4 and len(floor_plans) == 1

        narratives = []
        for section in sections:
            walk.visit(section, axe_source)
            narratives += walk.links(".section .narrative-list a")
        assert len(narratives) >= 4
        for narrative in narratives:
            walk.visit(narrative, axe_source)
            assert walk.page.locator(".narrative__body .narrative-block").count() >= 2

        objects = []
        for room in rooms:
            walk.visit(room, axe_source)
            objects += walk.links(".placement__title a")
        objects = list(dict.fromkeys(objects))
        assert len(objects) >= 40
        for obj in objects:
            walk.visit(obj, axe_source)

        walk.visit(floor_plans[0], axe_source)
        assert walk.page.locator(".floor-plan__objects li").count() >= 40

        assert walk.violations == {}
        assert walk.foreign == []
    finally:
        walk.close()


def test_the_english_exhibition_is_reachable_from_the_english_home_page(
    browser, demo_site, axe_source
):
    walk = Walk(browser, demo_site)
    try:
        walk.visit("/en/")
        walk.page.locator(".home__exhibition a").first.click()
        walk.page.wait_for_load_state("networkidle")
        assert urlsplit(walk.page.url).path.startswith("/en/")
        for section in walk.links(".exhibition .narrative-list a"):
            walk.visit(section)
            for narrative in walk.links(".section .narrative-list a"):
                walk.visit(narrative, axe_source)
                assert walk.page.locator("html").get_attribute("lang") == "en"
        assert len(walk.visited) >= 9
        assert walk.violations == {}
        assert walk.foreign == []
    finally:
        walk.close()


def test_narrative_pages_read_without_javascript(browser, demo_site):
    walk = Walk(browser, demo_site, java_script_enabled=False)
    try:
        walk.visit("/en/exhibition/looted-heritage/one-object-many-owners/")
        image = walk.page.locator(".narrative-object .deep-zoom img").first
        assert image.is_visible()
        assert image.get_attribute("alt")
        detail = walk.page.locator(".narrative-detail img").first
        assert "/iiif/3/" in detail.get_attribute("src")
        assert detail.evaluate("img => img.complete && img.naturalWidth > 0")
        # The content-note gate is a <details> element: it opens without a script.
        walk.page.locator(".narrative-testimony__gate summary").first.click()
        assert walk.page.locator(".narrative-testimony blockquote").first.is_visible()
        assert walk.foreign == []
    finally:
        walk.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_richest_narrative_page_fits_the_screen(browser, demo_site, width):
    walk = Walk(browser, demo_site, viewport={"width": width, "height": 800})
    try:
        walk.visit("/utstallningen/plundrat-kulturarv/ett-foremal-manga-agare/")
        overflow = walk.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    finally:
        walk.close()


def _demo_admin_password(tmp_path_factory) -> str:
    # The session's demo site (tests/conftest.py: running_site) keeps its var/ folder, with the
    # password load_demo generated, under this run's temporary folder.
    found = sorted(tmp_path_factory.getbasetemp().glob("running-site*/demo-admin-password"))
    assert found, "the demo site's admin password file was not found"
    return found[-1].read_text().strip()


def test_the_label_pdf_link_gives_a_pdf(browser, demo_site, tmp_path_factory):
    walk = Walk(browser, demo_site)
    try:
        walk.page.goto(demo_site + "/admin/login/")
        walk.page.fill("input[name=username]", "admin")
        walk.page.fill("input[name=password]", _demo_admin_password(tmp_path_factory))
        walk.page.locator("form button[type=submit]").first.click()
        walk.page.wait_for_url("**/admin/")
        walk.visit("/admin/exhibition/layout/")
        links = walk.links("a[href*='labels.pdf']")
        assert links
        response = walk.context.request.get(links[0])
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
        assert walk.foreign == []
    finally:
        walk.close()
