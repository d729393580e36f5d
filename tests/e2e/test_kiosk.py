"""The offline kiosk of a built demo package, opened from file:// in headless Chromium with
every network request refused: rooms, objects, voices, and hiding consent-bound content
when the museum revokes the package (kiosk-state.js, as venue_sync writes it)."""

import datetime
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.e2e.conftest import serious_axe_violations

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kiosk_folder(tmp_path_factory):
    """DEST as venue_sync leaves it: versions/1 unpacked, and current pointing at it.

    The demo and its package are built in a separate process (as `make demo` and the
    command run them): the browser's event loop and a test database do not mix."""
    var_dir = tmp_path_factory.mktemp("kiosk-var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "PACKAGE_ROOT"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="false", VAR_DIR=str(var_dir))
    for args in (
        ["migrate", "--no-input", "-v0"],
        ["load_demo"],
        ["build_package", "--venue", "demo-lulea"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    [archive_path] = (var_dir / "packages" / "archives").glob("demo-lulea-v1*.zip")
    dest = tmp_path_factory.mktemp("kiosk-dest")
    with zipfile.ZipFile(archive_path) as archive:
        archive.extractall(dest / "versions" / "1")
    os.symlink("versions/1", dest / "current")
    return dest


@pytest.fixture
def offline_page(browser):
    context = browser.new_context()
    attempted = []

    def refuse(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.attempted = attempted
    yield page
    context.close()


def test_the_kiosk_runs_offline_and_hides_voices_when_revoked(
    kiosk_folder, offline_page, axe_source
):
    page = offline_page
    index = (kiosk_folder / "current" / "kiosk" / "index.html").as_uri()
    stories = json.loads((kiosk_folder / "current" / "data" / "stories.json").read_text())
    spoken = next(t for t in stories["testimonies"] if t["objects"])
    object_id = spoken["objects"][0]

    page.goto(index)
    page.wait_for_selector("#rooms a")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert serious_axe_violations(page, axe_source) == []
    page.locator("#rooms a").first.click()
    page.wait_for_selector("#objects a")
    assert serious_axe_violations(page, axe_source) == []
    page.locator(f'#objects a[href^="#/object/{object_id}/"]').click()
    page.wait_for_selector("#viewer")
    page.wait_for_selector(".label")
    # Tiles come from the package's own files.
    page.wait_for_function("document.querySelectorAll('#viewer img').length > 0", timeout=10_000)
    assert serious_axe_violations(page, axe_source) == []
    page.locator(f'#object-testimonies a[href="#/testimony/{spoken["id"]}"]').click()
    page.wait_for_selector("#testimony-body", state="attached")
    if page.locator("#content-note button").count():
        page.locator("#content-note button").click()
    assert page.locator("#testimony-body").is_visible()
    assert spoken["body"]["sv"]["text"][:20] in page.locator("#testimony-body").inner_text()
    # Help lines of the venue's country beside the testimony.
    assert page.locator("#support li").count() >= 1
    assert serious_axe_violations(page, axe_source) == []
    # Another language of the venue.
    page.locator('#languages button[lang="en"]').click()
    assert page.locator("html").get_attribute("lang") == "en"

    # The museum revokes the package; venue_sync writes the kiosk state beside the versions.
    (kiosk_folder / "kiosk-state.js").write_text(
        'window.KIOSK_STATE = {"package_revoked": true, "version": 1, '
        '"synced_at": "2026-11-29T00:00:00Z"};\n'
    )
    page.reload()
    page.wait_for_selector("#stories-unavailable")
    assert page.locator("#testimony-body").count() == 0
    # The voices go; the help lines stay.
    assert page.locator("#support li").count() >= 1
    page.goto(f"{index}#/")
    page.wait_for_selector("#rooms a")
    assert page.locator("#voices-link").count() == 0
    assert page.locator("#stories-unavailable").is_visible()
    page.goto(f"{index}#/object/{object_id}/0")
    page.wait_for_selector(".meta")
    assert page.locator("#object-testimonies").count() == 0
    assert serious_axe_violations(page, axe_source) == []

    # Synced again and no longer revoked: the voices are back ...
    (kiosk_folder / "kiosk-state.js").write_text(
        'window.KIOSK_STATE = {"package_revoked": false, "version": 1, '
        '"synced_at": "2026-11-29T00:00:00Z"};\n'
    )
    page.goto(f"{index}#/")
    page.reload()
    page.wait_for_selector("#voices-link")
    # ... until the package is past its valid-until date with no newer sync.
    valid_until = json.loads((kiosk_folder / "current" / "manifest.json").read_text())[
        "valid_until"
    ]
    after = datetime.datetime.fromisoformat(valid_until) + datetime.timedelta(days=2)
    page.clock.set_fixed_time(after)
    page.reload()
    page.wait_for_selector("#stories-unavailable")
    assert page.locator("#voices-link").count() == 0

    assert page.attempted == [], f"the kiosk tried the network: {page.attempted}"
