"""venue_sync against the API served by a real WSGI server on loopback (pytest-django's
live_server: a threaded server in this process). The live server sees only committed data, so
these tests run in transactional mode; serialized_rollback restores the migrations' rows."""

import datetime
import errno
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import pytest

from stories.factories import published_testimony
from tests.venue_api.packages import make_package, sample_files
from touring import signing
from touring.models import PackageVersion
from venue_api import sync as sync_module
from venue_api.archives import deltas_dir, zip_info
from venue_api.models import VenueApiToken

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(__file__).resolve().parents[2]


def run(live_server, token, dest, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "venue_sync",
        url=options.pop("url", live_server.url),
        token=token,
        dest=str(dest),
        public_key=options.pop("public_key", signing.museum_public_key()),
        stdout=out,
        stderr=err,
        **options,
    )
    return out.getvalue(), err.getvalue()


def snapshot(dest: Path) -> dict:
    """What a kiosk sees: the current link, every file under it, and the state files."""
    current = dest / "current"
    files = {
        path.relative_to(current).as_posix(): path.read_bytes()
        for path in sorted(current.rglob("*"))
        if path.is_file()
    }
    return {
        "link": os.readlink(current),
        "files": files,
        "state": (dest / "state.json").read_text(),
        "kiosk": (dest / "kiosk-state.js").read_text(),
    }


def kiosk_state(dest: Path) -> dict:
    text = (dest / "kiosk-state.js").read_text()
    assert text.startswith("window.KIOSK_STATE = ") and text.endswith(";\n")
    return json.loads(text.removeprefix("window.KIOSK_STATE = ").removesuffix(";\n"))


@pytest.fixture
def dest(tmp_path):
    return tmp_path / "kiosk"


@pytest.fixture
def installed(live_server, venue, token, dest):
    """Version 1 synced into ``dest``."""
    first = make_package(venue, 1)
    run(live_server, token, dest)
    return first


def test_first_sync_installs_the_verified_package(live_server, venue, token, dest):
    make_package(venue, 1)
    out, err = run(live_server, token, dest)
    assert "Installed version 1." in out
    assert os.readlink(dest / "current") == "versions/1"
    current = dest / "current"
    for path, body in sample_files().items():
        assert (current / path).read_bytes() == body
    assert not (current / "manifest.json").exists()  # only the listed files are unpacked
    state = kiosk_state(dest)
    assert state["package_revoked"] is False and state["version"] == 1
    assert json.loads((dest / "state.json").read_text())["venue"] == "goteborg"
    assert "Package version 1" in err  # progress on stderr
    assert list((dest / "downloads").iterdir()) == []


def test_a_second_sync_without_changes_does_nothing(live_server, token, dest, installed):
    before = snapshot(dest)
    mtime = (dest / "versions" / "1").stat().st_mtime_ns
    out, err = run(live_server, token, dest)
    assert "Already up to date (version 1)." in out
    assert "Package version" not in err  # nothing downloaded
    after = snapshot(dest)
    assert after["link"] == before["link"] and after["files"] == before["files"]
    assert (dest / "versions" / "1").stat().st_mtime_ns == mtime


def test_an_update_comes_as_a_delta_and_keeps_one_previous_version(
    live_server, venue, token, dest, installed
):
    files = sample_files(label="second")
    files["labels/new.pdf"] = b"%PDF-1.7 a new label"
    make_package(venue, 2, files, parent=installed)
    out, err = run(live_server, token, dest)
    assert "Installed version 2." in out
    assert "Changes from version 1 to 2" in err and "Package version 2" not in err
    assert len(list(deltas_dir().glob("*.zip"))) == 1
    assert os.readlink(dest / "current") == "versions/2"
    assert snapshot(dest)["files"] == files
    assert (dest / "versions" / "1").is_dir()  # the previous version stays

    third = sample_files(label="third")
    make_package(venue, 3, third, parent=PackageVersion.objects.get(venue=venue, number=2))
    run(live_server, token, dest)
    assert sorted(p.name for p in (dest / "versions").iterdir()) == ["2", "3"]
    assert snapshot(dest)["files"] == third


def test_a_withdrawn_testimony_disappears_at_the_next_sync(live_server, venue, token, dest):
    testimony = published_testimony()
    make_package(venue, 1, sample_files(testimony_id=testimony.pk))
    run(live_server, token, dest)
    current = dest / "current"
    audio = current / "media" / "testimonies" / str(testimony.pk) / "audio.mp3"
    assert audio.exists()

    reviewer = get_user_model().objects.create_user("reviewer")
    testimony.voice.consents.get().withdraw(by=reviewer, basis="Fictional test withdrawal")
    out, _err = run(live_server, token, dest)
    assert "Removed revoked content from version 1" in out
    assert not audio.exists()
    assert not (current / "media" / "testimonies" / f"{testimony.pk}.vtt").exists()
    assert (current / "media" / "testimonies" / "99" / "audio.mp3").exists()
    stories = json.loads((current / "data" / "stories.json").read_text())
    assert [t["id"] for t in stories["testimonies"]] == [99]
    kiosk = (current / "kiosk" / "data" / "stories.js").read_text()
    assert kiosk.startswith("window.STORIES = ")
    assert f'"id":{testimony.pk},' not in kiosk and '"id":99' in kiosk
    assert os.readlink(current) == "versions/1-2"
    # The folder the kiosk showed before is intact: nothing was rewritten under it.
    assert (dest / "versions" / "1" / "media" / "testimonies" / "99" / "audio.mp3").exists()


def test_an_interrupted_download_resumes_where_it_stopped(
    live_server, venue, token, dest, monkeypatch
):
    make_package(venue, 1)
    monkeypatch.setattr(sync_module, "CHUNK", 1024)
    seen = []

    def breaking(label, done, total):
        seen.append(done)
        if done > 3000:
            raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")

    key = signing.museum_public_key()
    with pytest.raises(sync_module.SyncError, match="broke off .* run venue_sync again to resume"):
        sync_module.Sync(live_server.url, token, dest, key, progress=breaking).run()
    part = dest / "downloads" / "v1.zip.part"
    kept = part.stat().st_size
    assert kept > 3000
    assert not (dest / "current").exists()

    resumed = []
    sync_module.Sync(
        live_server.url, token, dest, key, progress=lambda label, done, total: resumed.append(done)
    ).run()
    assert resumed[0] == kept  # started from the bytes already there
    assert snapshot(dest)["files"] == sample_files()


def test_a_package_revoked_by_the_museum_is_flagged_for_the_kiosk(
    live_server, token, dest, installed
):
    PackageVersion.objects.filter(pk=installed.pk).update(revoked_at=timezone.now())
    _out, err = run(live_server, token, dest)
    assert "revoked package version 1" in err
    assert kiosk_state(dest)["package_revoked"] is True
    assert os.readlink(dest / "current") == "versions/1"


def test_a_skewed_clock_warns_and_validity_follows_the_server(
    live_server, venue, token, dest, monkeypatch
):
    # The package is valid until tomorrow; this machine's clock says it is next week.
    make_package(venue, 1, valid_until=timezone.now().date() + datetime.timedelta(days=1))
    real = sync_module.local_now
    monkeypatch.setattr(sync_module, "local_now", lambda: real() + datetime.timedelta(days=7))
    out, err = run(live_server, token, dest)
    assert "clock differs from the server's" in err
    assert "Installed version 1." in out


# --- Faults: each leaves the installed version exactly as it was ------------------------


def rewrite_archive(package, change):
    """Replace the stored zip by ``change(entries)`` and record the new size and hash, as a
    server-side attacker (or a broken disk) would."""
    path = Path(package.archive.path)
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries = change(entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            archive.writestr(zip_info(name), entries[name])
    body = buffer.getvalue()
    path.write_bytes(body)
    PackageVersion.objects.filter(pk=package.pk).update(
        sha256=hashlib.sha256(body).hexdigest(), size=len(body)
    )


def without_delta(parent):
    """The server loses the parent's zip, so no delta: the client downloads in full (a delta
    holds only listed files, so entries smuggled into a zip reach only full downloads)."""
    Path(parent.archive.path).unlink()


def _tampered(venue, parent):
    package = make_package(venue, 2, sample_files(label="second"), parent=parent)
    # Same size, other bytes: only the SHA-256 can tell.
    rewrite_archive(
        package,
        lambda e: {**e, "data/objects.json": e["data/objects.json"].replace(b"second", b"forged")},
    )


def _bad_signature(venue, parent):
    other = signing.load_private_key(signing.generate_private_key())
    make_package(venue, 2, sample_files(label="second"), parent=parent, private_key=other)


def _unlisted_file(venue, parent):
    without_delta(parent)
    make_package(
        venue, 2, sample_files("second"), parent=parent, extra_entries={"kiosk/x.js": b"alert(1)"}
    )


def _zip_slip(venue, parent):
    without_delta(parent)
    make_package(
        venue, 2, sample_files("second"), parent=parent, extra_entries={"../../escape.txt": b"x"}
    )


def _absolute_path(venue, parent):
    without_delta(parent)
    make_package(
        venue,
        2,
        sample_files("second"),
        parent=parent,
        extra_entries={"/escaped-by-venue-sync.txt": b"x"},
    )


def _truncated(venue, parent):
    package = make_package(venue, 2, sample_files(label="second"), parent=parent)
    path = Path(package.archive.path)
    path.write_bytes(path.read_bytes()[: package.size // 2])


def _expired(venue, parent):
    yesterday = timezone.now().date() - datetime.timedelta(days=1)
    make_package(venue, 2, sample_files("second"), parent=parent, valid_until=yesterday)


FAULTS = {
    "tampered": (_tampered, "does not match its SHA-256"),
    "bad signature": (_bad_signature, "signature does not verify"),
    "unlisted file": (_unlisted_file, "does not list: kiosk/x.js"),
    "zip slip": (_zip_slip, "unsafe path '../../escape.txt'"),
    "absolute path": (_absolute_path, "unsafe path '/escaped-by-venue-sync.txt'"),
    "truncated": (_truncated, "does not match its checksum"),
    "expired": (_expired, "expired on"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_bad_package_is_refused_and_the_installed_one_stays(
    live_server, venue, token, dest, installed, fault
):
    make, message = FAULTS[fault]
    make(venue, installed)
    before = snapshot(dest)
    with pytest.raises(CommandError, match=message) as caught:
        run(live_server, token, dest)
    assert "\n" not in str(caught.value)
    assert snapshot(dest) == before
    assert sorted(p.name for p in (dest / "versions").iterdir()) == ["1"]
    assert (
        not (dest.parent / "escape.txt").exists()
        and not Path("/escaped-by-venue-sync.txt").exists()
    )


def test_a_bad_package_is_refused_on_a_first_sync_too(live_server, venue, token, dest):
    package = make_package(venue, 1)
    rewrite_archive(package, lambda e: {**e, "kiosk/index.html": b"<script>forged</script>"})
    # A different size is caught before anything is read.
    with pytest.raises(CommandError, match="kiosk/index.html has the wrong size"):
        run(live_server, token, dest)
    assert not (dest / "current").exists()


def test_another_venues_token_is_refused(live_server, other_venue, other_token, dest, installed):
    make_package(other_venue, 5)
    before = snapshot(dest)
    with pytest.raises(CommandError, match="for venue 'vilnius' but this folder holds venue"):
        run(live_server, other_token, dest)
    assert snapshot(dest) == before


def test_a_revoked_token_is_refused(live_server, venue, token, dest, installed):
    VenueApiToken.objects.get(venue=venue).revoke()
    before = snapshot(dest)
    with pytest.raises(CommandError, match="refused the token"):
        run(live_server, token, dest)
    assert snapshot(dest) == before


def test_a_full_disk_during_unpacking_leaves_the_installed_version(
    live_server, venue, token, dest, installed, monkeypatch
):
    make_package(venue, 2, sample_files(label="second"), parent=installed)
    before = snapshot(dest)

    def full(source, target):
        target.write_bytes(source.read(10))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(sync_module, "copy_out", full)
    with pytest.raises(CommandError, match="No space left on device"):
        run(live_server, token, dest)
    assert snapshot(dest) == before
    assert sorted(p.name for p in (dest / "versions").iterdir()) == ["1"]


def test_a_network_error_leaves_the_installed_version(live_server, token, dest, installed):
    before = snapshot(dest)
    with pytest.raises(CommandError, match="Could not reach the museum's server"):
        run(live_server, token, dest, url="http://127.0.0.1:9")
    assert snapshot(dest) == before


def test_the_command_exits_non_zero_with_one_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "venue_sync",
            "--url",
            "http://127.0.0.1:9",
            "--token",
            "abc.def",
            "--dest",
            str(tmp_path / "kiosk"),
            "--public-key",
            signing.museum_public_key(),
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Could not reach the museum's server" in lines[0]


def test_a_first_sync_with_a_named_venue_refuses_another_venues_package(
    live_server, other_venue, other_token, dest
):
    make_package(other_venue, 1)
    with pytest.raises(CommandError, match="for venue 'vilnius' but this folder holds venue"):
        run(live_server, other_token, dest, venue="goteborg")
    assert not (dest / "current").exists()


def test_a_revocation_of_something_not_in_the_package_changes_no_folder(
    live_server, token, dest, installed
):
    from stories.models import RevokedItem

    RevokedItem.objects.create(kind="testimony", public_id="55555", reason="withdrawn")
    before = snapshot(dest)
    out, _err = run(live_server, token, dest)
    assert "Already up to date (version 1)." in out
    assert snapshot(dest)["link"] == before["link"] == "versions/1"
    assert sorted(p.name for p in (dest / "versions").iterdir()) == ["1"]
    assert "testimony:55555" in json.loads((dest / "state.json").read_text())["revoked_applied"]


def test_a_slow_clock_does_not_let_an_expired_package_in(
    live_server, venue, token, dest, installed, monkeypatch
):
    # By this machine's clock (a week behind) version 2 is still valid; by the server's not.
    yesterday = timezone.now().date() - datetime.timedelta(days=1)
    make_package(venue, 2, sample_files("second"), parent=installed, valid_until=yesterday)
    real = sync_module.local_now
    monkeypatch.setattr(sync_module, "local_now", lambda: real() - datetime.timedelta(days=7))
    before = snapshot(dest)
    warnings = []
    with pytest.raises(sync_module.SyncError, match="expired on"):
        sync_module.Sync(
            live_server.url,
            token,
            dest,
            signing.museum_public_key(),
            progress=lambda *args: None,
            warn=warnings.append,
        ).run()
    assert any("clock differs from the server's" in w for w in warnings)
    assert snapshot(dest) == before


def test_when_the_museum_revokes_the_installed_package_the_previous_one_returns(
    live_server, venue, token, dest, installed
):
    second = make_package(venue, 2, sample_files("second"), parent=installed)
    run(live_server, token, dest)
    assert os.readlink(dest / "current") == "versions/2"
    PackageVersion.objects.filter(pk=second.pk).update(revoked_at=timezone.now())
    out, _err = run(live_server, token, dest)
    assert "Installed version 1." in out
    assert kiosk_state(dest) == {**kiosk_state(dest), "package_revoked": False, "version": 1}
    assert snapshot(dest)["files"] == sample_files()
