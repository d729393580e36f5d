"""venue_sync's options: which key it verifies with, and the token's sources."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from touring import signing

CLOSED = "http://127.0.0.1:9"  # nothing listens: every run ends at the network step


def run(tmp_path, **options):
    err = io.StringIO()
    options.setdefault("token", "abc.def")
    with pytest.raises(CommandError) as caught:
        call_command("venue_sync", url=CLOSED, dest=str(tmp_path / "kiosk"), stderr=err, **options)
    return str(caught.value), err.getvalue()


def test_inside_the_museum_the_key_defaults_to_its_own_with_a_warning(tmp_path, settings):
    settings.PACKAGE_VERIFY_KEY = ""
    error, err = run(tmp_path)
    assert "a venue must pin the museum's public key" in err
    assert "Could not reach" in error


def test_a_venue_without_a_pinned_key_is_told_to_pin_one(tmp_path, settings):
    settings.PACKAGE_VERIFY_KEY = ""
    settings.PACKAGE_SIGNING_KEY = ""
    error, _err = run(tmp_path)
    assert error.startswith("No public key: pass --public-key or set PACKAGE_VERIFY_KEY")


def test_the_pinned_key_setting_is_used_without_warning(tmp_path, settings):
    settings.PACKAGE_VERIFY_KEY = signing.museum_public_key()
    error, err = run(tmp_path)
    assert "must pin" not in err and "Could not reach" in error


def test_an_unreadable_key_is_a_clear_error(tmp_path):
    error, _err = run(tmp_path, public_key="not a key")
    assert error.startswith("The public key cannot be used")


def test_a_missing_token_is_a_clear_error(tmp_path, monkeypatch, settings):
    monkeypatch.delenv("VENUE_API_TOKEN", raising=False)
    settings.PACKAGE_VERIFY_KEY = signing.museum_public_key()
    error, _err = run(tmp_path, token="")
    assert error == "No token: pass --token or set VENUE_API_TOKEN."
