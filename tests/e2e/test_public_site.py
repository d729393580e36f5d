from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import serious_axe_violations

PUBLIC_PATHS = ["/", "/en/", "/tour/", "/en/tour/", "/q/", "/en/no-such-page/"]


def test_home_page_renders_in_both_languages(page, demo_site):
    page.goto(demo_site + "/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Lämna sidan snabbt").is_visible()
    assert page.locator("h1").inner_text() == "Trafficking"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(demo_site + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Leave this site quickly").is_visible()
    assert "fictional" in page.locator("main").inner_text()


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_no_serious_or_critical_axe_violations(page, demo_site, axe_source, path):
    page.goto(demo_site + path)
    assert serious_axe_violations(page, axe_source) == []


def test_quick_exit_leaves_and_drops_the_page_from_history(page, demo_site):
    page.goto(demo_site + "/tour/")
    page.goto(demo_site + "/")
    page.get_by_role("link", name="Lämna sidan snabbt").click()
    page.wait_for_url(demo_site + "/q/")
    assert "Trafficking" not in page.content()
    page.go_back()
    # Back leads to the page before, not to the page the visitor was reading.
    assert urlsplit(page.url).path == "/tour/"


def test_escape_twice_leaves(page, demo_site):
    page.goto(demo_site + "/en/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(demo_site + "/q/")


def test_quick_exit_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/")
    assert page.locator("h1").inner_text() == "Trafficking"
    page.get_by_role("link", name="Lämna sidan snabbt").click()
    page.wait_for_url(demo_site + "/q/")
    context.close()


def test_no_request_leaves_the_site(page, demo_site):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PUBLIC_PATHS:
        page.goto(demo_site + path)
    # The deliberate 404 logs its own status as a console error; nothing else may.
    errors = [e for e in page.console_errors if "status of 404" not in e]
    origin = urlsplit(demo_site).netloc
    assert requested
    assert [url for url in requested if urlsplit(url).netloc != origin] == []
    assert errors == []  # includes CSP violations


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_pages_fit_narrow_and_wide_screens(browser, demo_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in ("/", "/tour/"):
        page.goto(demo_site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, width, overflow)
        assert page.get_by_role("link", name="Lämna sidan snabbt").is_visible()
    context.close()


def test_admin_login_works_under_the_content_security_policy(page, demo_site):
    page.goto(demo_site + "/admin/login/")
    assert page.locator("input[name=username]").is_visible()
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_axe_check_catches_a_real_violation(page, demo_site, axe_source):
    # Guards the wiring: an image without alternative text must be reported.
    page.goto(demo_site + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/none.png\">')"
    )
    assert "image-alt" in {v["id"] for v in serious_axe_violations(page, axe_source)}


@pytest.mark.parametrize("path", ["/collection/", "/en/collection/?kind=loan"])
def test_collection_pages_have_no_serious_axe_violations(page, demo_site, axe_source, path):
    page.goto(demo_site + path)
    assert serious_axe_violations(page, axe_source) == []
    first_object = page.locator(".object-card a").first
    first_object.click()
    page.wait_for_load_state()
    assert "/collection/" in page.url
    assert page.locator("h1").is_visible()
    assert serious_axe_violations(page, axe_source) == []


def test_collection_filters_work_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/en/collection/")
    total = page.locator(".object-card").count()
    page.select_option("#f-kind", "loan")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**kind=loan**")
    assert 0 < page.locator(".object-card").count() < total
    context.close()


def test_object_page_fits_a_phone(browser, demo_site):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(demo_site + "/collection/")
    page.locator(".object-card a").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()
