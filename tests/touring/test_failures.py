"""Unhappy paths: a failed build, and the command's errors."""

import io

from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import translation

import pytest

from tests.touring.builders import archive_bytes, build_touring_show
from touring import builder
from touring.builder import BuildError, build_package
from touring.models import PackageVersion

pytestmark = pytest.mark.django_db


def test_a_failed_build_is_marked_failed_and_leaves_earlier_versions_alone(
    monkeypatch, settings, tmp_path
):
    show = build_touring_show()
    good = build_package(show["venue"])
    good_bytes = archive_bytes(good)

    def broken(*args, **kwargs):
        raise OSError("disk on fire (test)")

    monkeypatch.setattr(builder.images, "static_image", broken)
    settings.TOURING_CACHE_DIR = tmp_path / "empty-cache"  # so the images are rendered again
    with pytest.raises(BuildError, match="disk on fire"):
        build_package(show["venue"])
    failed = PackageVersion.objects.get(venue=show["venue"], number=2)
    assert failed.status == PackageVersion.Status.FAILED
    assert "disk on fire" in failed.error
    assert not failed.archive and failed.sha256 == ""
    good.refresh_from_db()
    assert good.status == PackageVersion.Status.READY
    assert archive_bytes(good) == good_bytes
    # The next good build names the last ready version, not the failed one, as its parent.
    monkeypatch.undo()
    third = build_package(show["venue"])
    assert (third.number, third.parent) == (3, good)


def test_the_command_builds_with_a_progress_bar_on_stderr():
    show = build_touring_show()
    out, err = io.StringIO(), io.StringIO()
    call_command("build_package", venue=show["venue"].slug, stdout=out, stderr=err)
    assert "100%" in err.getvalue() and "#####" in err.getvalue()
    assert "tour-stop v1" in out.getvalue()
    assert "dates_not_covered" not in out.getvalue()  # people read messages, not codes
    assert show["uncovered"].inventory_number in out.getvalue()
    assert PackageVersion.objects.get().status == PackageVersion.Status.READY


def test_an_unknown_venue_is_a_clear_error():
    with translation.override("en"), pytest.raises(CommandError, match="No venue with the slug"):
        call_command("build_package", venue="nowhere")
    assert not PackageVersion.objects.exists()


def test_an_unknown_venue_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "build_package", "--venue", "nowhere"]).execute()
    assert exit_info.value.code != 0
    assert "nowhere" in capsys.readouterr().err


def test_a_failed_build_from_the_command_exits_with_its_error(monkeypatch):
    show = build_touring_show()
    monkeypatch.setattr(
        builder.images, "static_image", lambda *a, **k: (_ for _ in ()).throw(OSError("no tiles"))
    )
    with pytest.raises(CommandError, match="no tiles"):
        call_command("build_package", venue=show["venue"].slug, stderr=io.StringIO())
    assert PackageVersion.objects.get().status == PackageVersion.Status.FAILED
