"""The IIIF viewers in a browser: deep zoom on object pages and Mirador on every manifest."""

import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

import pytest

from tests.csp import csp_directives
from tests.e2e.conftest import serious_axe_violations

# Mirador 4.0.0's dist bundles React's development build, which reports this deprecation of
# Mirador's own code through console.error. It is not a failure of the page.
MIRADOR_DEV_NOISE = ("Accessing element.ref was removed in React 19",)
TILE = "/iiif/3/"


def get(url: str):
    """(status, headers, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def watch(page, origin: str) -> dict:
    """Record what a page does: console errors, failed requests, requests to other hosts."""
    seen = {"errors": [], "failed": [], "foreign": [], "tiles": []}

    def console(message):
        if message.type != "error":
            return
        # The site has no favicon yet; the browser asks for one on its own.
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if any(noise in message.text for noise in MIRADOR_DEV_NOISE):
            return
        seen["errors"].append(message.text)

    def response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            seen["failed"].append((response.url, response.status))
        elif TILE in response.url and response.url.endswith(".jpg"):
            seen["tiles"].append(response.url)

    page.on("console", console)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("requestfailed", lambda request: seen["failed"].append((request.url, request.failure)))
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).netloc != origin
            and not request.url.startswith(("data:", "blob:"))
            and seen["foreign"].append(request.url)
        ),
    )
    page.on("response", response)
    return seen


def wait_for_tiles(page) -> None:
    """Wait until the page has received an image from the IIIF image server."""
    page.wait_for_function(
        """() => performance.getEntriesByType("resource").some(
            entry => entry.name.includes("/iiif/3/") && entry.name.endsWith(".jpg")
                && entry.responseStatus === 200)"""
    )
    page.wait_for_load_state("networkidle")


def manifests(demo_site: str) -> list[dict]:
    status, _, body = get(demo_site + "/iiif/presentation/collections/objects")
    assert status == 200
    return json.loads(body)["items"]


def viewer_url(demo_site: str, manifest: str, language: str = "/en") -> str:
    return f"{demo_site}{language}/collection/viewer/?manifest={quote(manifest, safe='')}"


# --- Mirador ---------------------------------------------------------------------------


def test_every_demo_manifest_opens_in_mirador(browser, demo_site):
    items = manifests(demo_site)
    assert len(items) > 10
    origin = urlsplit(demo_site).netloc
    context = browser.new_context()
    problems = {}
    for item in items:
        page = context.new_page()
        seen = watch(page, origin)
        page.goto(viewer_url(demo_site, item["id"]))
        # The manifest's label as Mirador's window title, and its first canvas drawn by
        # OpenSeadragon from the image service's tiles.
        label = item["label"].get("en", item["label"].get("sv"))[0]
        page.locator(".mirador-window-top-bar").get_by_text(label, exact=True).first.wait_for()
        page.locator(".openseadragon-canvas canvas").first.wait_for()
        wait_for_tiles(page)
        outcome = {key: value for key, value in seen.items() if key != "tiles" and value}
        if not seen["tiles"]:
            outcome["tiles"] = "none loaded"
        if outcome:
            problems[item["id"]] = outcome
        page.close()
    context.close()
    assert problems == {}


def test_mirador_page_is_linked_from_the_object_page(page, demo_site):
    page.goto(demo_site + "/en/collection/1/")
    page.get_by_role("link", name="Open the images in the IIIF viewer (Mirador)").click()
    page.wait_for_url("**/en/collection/viewer/**")
    assert page.locator(".viewer > h1").inner_text().endswith("in the IIIF viewer")
    page.locator(".openseadragon-canvas canvas").first.wait_for()


def test_mirador_page_speaks_swedish_by_default(page, demo_site):
    page.goto(viewer_url(demo_site, "/iiif/presentation/objects/1/manifest", language=""))
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "i IIIF-visaren" in page.locator(".viewer > h1").inner_text()
    # Mirador's own labels (its Swedish translation).
    page.get_by_role("button", name="Zooma in").first.wait_for()


def test_mirador_opens_the_collection_of_objects(page, demo_site):
    seen = watch(page, urlsplit(demo_site).netloc)
    page.goto(viewer_url(demo_site, "/iiif/presentation/collections/objects"))
    assert page.locator(".viewer > h1").inner_text() == "The collection"
    # Mirador shows the collection's label as its window title, with nothing refused.
    top_bar = page.locator(".mirador-window-top-bar").first
    top_bar.get_by_text("The collection", exact=True).wait_for()
    page.wait_for_load_state("networkidle")
    assert (seen["errors"], seen["failed"], seen["foreign"]) == ([], [], [])


def test_mirador_page_has_no_serious_axe_violations(page, demo_site, axe_source):
    page.goto(viewer_url(demo_site, "/iiif/presentation/objects/1/manifest"))
    page.locator(".openseadragon-canvas canvas").first.wait_for()
    wait_for_tiles(page)
    # Mirador's own <main> inside the page's is a moderate finding, reported and not counted.
    assert serious_axe_violations(page, axe_source) == []


@pytest.mark.parametrize(
    "manifest",
    [
        "https://museum.example/iiif/presentation/objects/1/manifest",
        "//museum.example/iiif/presentation/objects/1/manifest",
        "http://127.0.0.2:8000/iiif/presentation/objects/1/manifest",
        "https:/iiif/presentation/objects/1/manifest",
        "/iiif/presentation/objects/1/manifest?redirect=https://museum.example/",
        "/iiif/presentation/objects/1/canvas/1",
        "/iiif/3/1/info.json",
        "/admin/",
        "/\\museum.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_mirador_page_refuses_anything_but_this_sites_manifests(demo_site, manifest):
    status, headers, body = get(viewer_url(demo_site, manifest))
    assert status == 400
    # Not echoed (the language switcher keeps the query string, percent-encoded).
    assert "museum.example/" not in body
    assert "data-manifest" not in body
    assert "own IIIF manifests only" in body
    assert "mirador.min" not in body  # no viewer is even loaded
    assert "Location" not in headers


def test_mirador_page_takes_an_absolute_url_on_this_host(demo_site):
    status, _, body = get(
        viewer_url(demo_site, demo_site + "/iiif/presentation/objects/1/manifest")
    )
    assert status == 200
    assert f'data-manifest="{demo_site}/iiif/presentation/objects/1/manifest"' in body


def test_mirador_page_of_an_object_without_a_manifest_is_not_found(demo_site):
    # Unknown objects, and objects whose images the web may not show (no manifest), alike.
    shown = {int(item["id"].rstrip("/").split("/")[-2]) for item in manifests(demo_site)}
    hidden = min(set(range(1, max(shown))) - shown)
    for pk in (hidden, 999_999):
        status, _, _ = get(viewer_url(demo_site, f"/iiif/presentation/objects/{pk}/manifest"))
        assert status == 404, pk


def test_only_the_mirador_page_allows_inline_styles(demo_site):
    _, viewer, _ = get(viewer_url(demo_site, "/iiif/presentation/objects/1/manifest"))
    _, object_page, _ = get(demo_site + "/en/collection/1/")
    _, listing, _ = get(demo_site + "/en/collection/")
    viewer_policy = viewer["Content-Security-Policy"]
    directives = csp_directives(viewer_policy)
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"
    for policy in (object_page["Content-Security-Policy"], listing["Content-Security-Policy"]):
        assert "unsafe-inline" not in policy
    # The object page may apply an empty <style> element, nothing more.
    assert (
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        in object_page["Content-Security-Policy"]
    )


# --- Deep zoom on the object page ----------------------------------------------------


def open_deep_zoom(page, demo_site, path="/en/collection/1/"):
    seen = watch(page, urlsplit(demo_site).netloc)
    page.goto(demo_site + path)
    page.locator("[data-deep-zoom][data-deep-zoom-loaded=true]").first.wait_for()
    return seen


def zoom_of(page, current=True) -> float:
    return page.evaluate(
        "current => document.querySelector('[data-deep-zoom]').deepZoomViewer.viewport"
        ".getZoom(current)",
        current,
    )


def test_object_page_deep_zoom_loads_tiles_without_errors(page, demo_site):
    seen = open_deep_zoom(page, demo_site)
    page.wait_for_load_state("networkidle")
    assert seen["tiles"]
    assert (seen["errors"], seen["failed"], seen["foreign"]) == ([], [], [])
    # The plain rendition gives way to the viewer.
    assert page.locator("[data-deep-zoom] img").first.is_hidden()


def test_deep_zoom_of_an_image_with_a_size_limit_stays_within_it(page, demo_site):
    # Demo object 4's image may be shown online at 500 px at most: the viewer asks only for
    # sizes the server offers, so no request is refused.
    seen = open_deep_zoom(page, demo_site, "/en/collection/4/")
    page.wait_for_load_state("networkidle")
    assert seen["tiles"]
    assert (seen["errors"], seen["failed"]) == ([], [])


def test_deep_zoom_is_keyboard_operable(page, demo_site):
    open_deep_zoom(page, demo_site)
    canvas = page.locator(".openseadragon-canvas").first
    alt = page.locator("[data-deep-zoom]").first.get_attribute("data-label")
    # Named by the image's text alternative, and reachable with Tab.
    assert page.get_by_role("application", name=alt).count() == 1
    for _ in range(60):
        page.keyboard.press("Tab")
        if canvas.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the deep zoom viewer is not reachable with Tab")
    # A visible focus indicator, around the viewer (its drawing would cover one inside).
    stage = page.locator(".deep-zoom__stage").first
    assert stage.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    page.keyboard.press("Shift+Tab")
    assert stage.evaluate("element => getComputedStyle(element).outlineStyle") == "none"
    page.keyboard.press("Tab")
    home = zoom_of(page, current=False)
    for _ in range(3):
        page.keyboard.press("+")
    page.wait_for_function(
        "home => document.querySelector('[data-deep-zoom]').deepZoomViewer.viewport"
        ".getZoom(true) > home * 2",
        arg=home,
    )
    centre = page.evaluate(
        "() => document.querySelector('[data-deep-zoom]').deepZoomViewer.viewport"
        ".getCenter(false).x"
    )
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "x => document.querySelector('[data-deep-zoom]').deepZoomViewer.viewport"
        ".getCenter(false).x > x",
        arg=centre,
    )
    page.keyboard.press("0")
    assert zoom_of(page, current=False) == pytest.approx(home)
    # The labelled buttons do the same.
    page.get_by_role("button", name="Zoom in").first.click()
    assert zoom_of(page, current=False) > home * 1.4
    page.get_by_role("button", name="Whole image").first.click()
    assert zoom_of(page, current=False) == pytest.approx(home)


def test_deep_zoom_respects_reduced_motion(browser, demo_site):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    open_deep_zoom(page, demo_site)
    home = zoom_of(page, current=False)
    page.locator(".openseadragon-canvas").first.focus()
    page.keyboard.press("+")
    # No animation: the view is at its target as soon as the key is handled.
    assert zoom_of(page, current=True) == pytest.approx(home * 1.5)
    context.close()


def test_object_page_with_deep_zoom_has_no_serious_axe_violations(page, demo_site, axe_source):
    open_deep_zoom(page, demo_site)
    assert serious_axe_violations(page, axe_source) == []


def test_object_page_without_javascript_shows_the_image(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/en/collection/1/")
    image = page.locator("[data-deep-zoom] img").first
    assert image.is_visible()
    assert image.get_attribute("alt")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_role("button", name="Zoom in").count() == 0
    # The viewer page says what it needs.
    page.goto(viewer_url(demo_site, "/iiif/presentation/objects/1/manifest"))
    assert "The viewer needs JavaScript." in page.locator("main").inner_text()
    context.close()
