"""Spoken testimony in a real browser: the content-note gate, the transcript that follows the
recording, click-to-seek, chapters and deep links, with and without JavaScript, and axe."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_axe_violations
from tests.e2e.spoken_testimony import SLUG

ROOT = Path(__file__).resolve().parents[2]
PATH = f"/en/stories/testimonies/{SLUG}/"


@pytest.fixture(scope="module")
def spoken(demo_site, tmp_path_factory):
    """Adds the fictional spoken testimony to the running demo's database (in its VAR_DIR,
    which tests/conftest.py's running_site made under this session's base temp folder)."""
    var_dirs = list(
        {
            path.resolve()  # pytest adds a "…current" link to the latest folder
            for path in tmp_path_factory.getbasetemp().glob("running-site*")
            if (path / "db.sqlite3").exists()
        }
    )
    assert len(var_dirs) == 1, var_dirs
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", VAR_DIR=str(var_dirs[0]))
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.spoken_testimony"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    cues = json.loads(result.stdout.strip().splitlines()[-1])
    return {"url": demo_site + PATH, "cues": cues}


@pytest.fixture
def errors(page):
    """Console errors (CSP violations included), except the browser's own favicon request,
    which the site does not answer."""
    found = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico")
            and found.append(message.text)
        ),
    )
    return found


def reveal(page, url):
    page.goto(url)
    page.get_by_role("button", name="Show the testimony").click()
    page.wait_for_selector("audio[data-player-media]")


def wait_for_metadata(page):
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1")


def current_time(page) -> float:
    return page.evaluate("document.querySelector('audio').currentTime")


CURRENT_LINE = '.transcript__line[aria-current="time"] .transcript__text'


def current_line(page) -> str:
    return page.locator(CURRENT_LINE).inner_text()


def test_gate_comes_first_and_passes_axe(page, errors, spoken, axe_source):
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    page.goto(spoken["url"])
    assert page.get_by_role("heading", name="Content note").is_visible()
    assert "coercion and threats" in page.locator("main").inner_text()
    assert page.locator("audio").count() == 0
    assert page.get_by_role("link", name="Leave this site quickly").is_visible()
    assert serious_axe_violations(page, axe_source) == []
    page.get_by_role("button", name="Show the testimony").click()
    page.wait_for_selector("audio[data-player-media]")
    assert urlsplit(page.url).path == PATH
    assert serious_axe_violations(page, axe_source) == []
    # Remembered for the session: the next visit goes straight to the testimony.
    page.goto(spoken["url"])
    assert page.locator("audio").count() == 1
    assert failed == []
    assert errors == []


def test_the_transcript_follows_playback(page, errors, spoken):
    reveal(page, spoken["url"])
    wait_for_metadata(page)
    cues = spoken["cues"]
    for index in (1, 3, 2):
        start, end, text = cues[index]
        page.evaluate(f"document.querySelector('audio').currentTime = {(start + end) / 2}")
        expect(page.locator(CURRENT_LINE)).to_have_text(text)
        assert page.locator(".transcript__line.is-current").count() == 1
    assert errors == []


def test_a_click_on_a_line_seeks_there(page, errors, spoken):
    reveal(page, spoken["url"])
    wait_for_metadata(page)
    start, _end, text = spoken["cues"][2]
    page.locator(".transcript__line").nth(2).locator(".transcript__text").click()
    page.wait_for_function(
        "start => Math.abs(document.querySelector('audio').currentTime - start) < 1.5",
        arg=start,
    )
    assert current_line(page) == text
    assert urlsplit(page.url).path == PATH  # no page load: a seek
    # By keyboard: the line's time link.
    start, _end, text = spoken["cues"][1]
    page.locator(".transcript__line").nth(1).locator("a").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "start => Math.abs(document.querySelector('audio').currentTime - start) < 1.5",
        arg=start,
    )
    assert current_line(page) == text
    assert errors == []


def test_chapters_seek(page, spoken):
    reveal(page, spoken["url"])
    wait_for_metadata(page)
    start = spoken["cues"][3][0]
    page.get_by_role("link", name="End").click()
    page.wait_for_function(
        "start => Math.abs(document.querySelector('audio').currentTime - start) < 1.5",
        arg=start,
    )
    assert current_line(page) == spoken["cues"][3][2]


@pytest.mark.parametrize("form", ["query", "hash"])
def test_a_deep_link_opens_the_recording_at_that_moment(page, spoken, form):
    reveal(page, spoken["url"])
    start, _end, text = spoken["cues"][2]
    at = f"{start + 0.2:.1f}"
    page.goto(spoken["url"] + (f"?t={at}" if form == "query" else f"#t={at}"))
    wait_for_metadata(page)
    page.wait_for_function(
        "at => Math.abs(document.querySelector('audio').currentTime - at) < 0.5", arg=float(at)
    )
    assert current_line(page) == text
    # Nothing plays by itself.
    assert page.evaluate("document.querySelector('audio').paused")


def test_without_javascript_times_are_links_that_reload_there(browser, spoken):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    reveal(page, spoken["url"])
    start = spoken["cues"][2][0]
    page.locator(".transcript__line").nth(2).locator("a").click()
    page.wait_for_url(f"**{PATH}?t=*")
    source = page.locator("audio source").get_attribute("src")
    assert source.endswith(f"#t={start:g}") or f"#t={start}" in source
    assert page.get_by_role("link", name="Leave this site quickly").is_visible()
    context.close()


def test_the_recording_supports_ranges_and_is_private(page, spoken):
    reveal(page, spoken["url"])
    source = page.locator("audio source").get_attribute("src").split("#")[0]
    response = page.request.get(
        spoken["url"].split("/en/")[0] + source, headers={"Range": "bytes=0-99"}
    )
    assert response.status == 206
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["content-range"].startswith("bytes 0-99/")
    assert "private" in response.headers["cache-control"]
    assert len(response.body()) == 100


@pytest.mark.parametrize("width", [320, 1280])
def test_fits_narrow_and_wide_screens(browser, spoken, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    reveal(page, spoken["url"])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.get_by_role("link", name="Leave this site quickly").is_visible()
    assert page.locator("aside.support").is_visible()
    context.close()


@pytest.mark.parametrize("path", ["/stories/testimonies/", "/en/stories/testimonies/"])
def test_the_listing_passes_axe(page, errors, spoken, axe_source, path):
    page.goto(spoken["url"].split("/en/")[0] + path)
    assert (
        page.get_by_role("link", name="A fictional testimony for testing").count()
        + page.get_by_role("link", name="Ett påhittat vittnesmål för test").count()
        == 1
    )
    assert serious_axe_violations(page, axe_source) == []
    assert errors == []
