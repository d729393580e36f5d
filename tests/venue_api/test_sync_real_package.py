"""The real builder's package, pulled by venue_sync from a live server on loopback."""

import io
import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command

import pytest

from exhibition.models import PlacementText
from tests.touring.builders import build_touring_show
from touring import signing
from touring.builder import build_package
from venue_api.models import VenueApiToken

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def small_builds(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TOURING_IMAGE_MAX_SIZE = 512
    settings.TOURING_DERIVATIVE_SIZES = (200,)
    settings.TOURING_FALLBACK_LANGUAGE = "en"


def sync(live_server, token, dest, err=None) -> str:
    out = io.StringIO()
    call_command(
        "venue_sync",
        url=live_server.url,
        token=token,
        dest=str(dest),
        public_key=signing.museum_public_key(),
        stdout=out,
        stderr=err or io.StringIO(),
    )
    return out.getvalue()


def test_a_built_package_syncs_updates_by_delta_and_loses_a_withdrawn_testimony(
    live_server, tmp_path
):
    show = build_touring_show()
    venue, told = show["venue"], show["told"]
    first = build_package(venue)
    _token, secret = VenueApiToken.issue(venue, "kiosk")
    dest = tmp_path / "kiosk"

    assert "Installed version 1." in sync(live_server, secret, dest)
    current = dest / "current"
    listed = {entry["path"] for entry in first.manifest["files"]}
    on_disk = {p.relative_to(current).as_posix() for p in current.rglob("*") if p.is_file()}
    assert on_disk == listed
    told_files = sorted(p for p in listed if p.startswith(f"media/testimonies/{told.pk}"))
    assert told_files, "the travelling testimony's media should be in the package"

    # One label changes: version 2 comes as a delta.
    PlacementText.objects.filter(placement=show["own_placement"]).update(text="En ny etikett.")
    second = build_package(venue)
    assert second.number == 2
    err = io.StringIO()
    assert "Installed version 2." in sync(live_server, secret, dest, err)
    assert "Changes from version 1 to 2" in err.getvalue()
    assert "Package version 2" not in err.getvalue()  # no full download
    assert os.readlink(current) == "versions/2"

    # The testimony is withdrawn after the build: gone from the folder at the next sync.
    reviewer = get_user_model().objects.create_user("reviewer")
    told.voice.consents.get().withdraw(by=reviewer, basis="Fictional withdrawal (test)")
    assert "Removed revoked content" in sync(live_server, secret, dest)
    for path in told_files:
        assert not (current / path).exists()
    stories = json.loads((current / "data" / "stories.json").read_text())
    assert told.pk not in {t["id"] for t in stories["testimonies"]}
    assert "Mirjam (test)" not in (current / "kiosk" / "data" / "stories.js").read_text()
    assert Path(dest / "state.json").exists()
