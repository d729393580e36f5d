"""Start-up with real settings modules in a subprocess, as an operator would meet them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"
IDENTITY_KEY = "Z2VuZXJhdGVkLWZvci10aGUtc3RhcnR1cC10ZXN0cyE="
PACKAGE_KEY = "c3RhcnR1cC10ZXN0cy1wYWNrYWdlLXNpZ25pbmctayE"


def run_django(settings: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DATABASE_URL",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "IDENTITY_ENCRYPTION_KEYS",
            "PACKAGE_SIGNING_KEY",
        }
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings)
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def var_dir(tmp_path):
    return {"VAR_DIR": str(tmp_path)}


def test_production_refuses_to_start_without_secret_key(var_dir):
    result = run_django(
        "config.settings.production", {**var_dir, "ALLOWED_HOSTS": "museum.example"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_weak_secret_key(var_dir):
    result = run_django(
        "config.settings.production",
        {**var_dir, "ALLOWED_HOSTS": "museum.example", "SECRET_KEY": "short"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be a long random string" in result.stderr


def test_production_requires_allowed_hosts(var_dir):
    result = run_django("config.settings.production", {**var_dir, "SECRET_KEY": GOOD_KEY})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_bad_database_url_names_the_variable(var_dir):
    result = run_django("config.settings.dev", {**var_dir, "DATABASE_URL": "nosuchdb://x"})
    assert result.returncode != 0
    assert "DATABASE_URL must be a database URL" in result.stderr


def test_bad_debug_value_names_the_variable(var_dir):
    result = run_django("config.settings.dev", {**var_dir, "DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_development_generates_a_secret_key_once(var_dir, tmp_path):
    assert run_django("config.settings.dev", var_dir).returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert run_django("config.settings.dev", var_dir).returncode == 0
    assert key_file.read_text() == first


def test_production_passes_deploy_checks_without_warnings(var_dir):
    result = run_django(
        "config.settings.production",
        {
            **var_dir,
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "museum.example",
            "IDENTITY_ENCRYPTION_KEYS": IDENTITY_KEY,
            "PACKAGE_SIGNING_KEY": PACKAGE_KEY,
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_requires_the_identity_encryption_key(var_dir):
    result = run_django(
        "config.settings.production",
        {**var_dir, "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "museum.example"},
    )
    assert result.returncode != 0
    assert "IDENTITY_ENCRYPTION_KEYS is required" in result.stderr


def test_an_invalid_identity_key_stops_start_up(var_dir):
    result = run_django(
        "config.settings.production",
        {
            **var_dir,
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "museum.example",
            "IDENTITY_ENCRYPTION_KEYS": "not-a-fernet-key",
            "PACKAGE_SIGNING_KEY": PACKAGE_KEY,
        },
    )
    assert result.returncode != 0
    assert "IDENTITY_ENCRYPTION_KEYS" in result.stderr


def test_production_requires_the_package_signing_key(var_dir):
    result = run_django(
        "config.settings.production",
        {
            **var_dir,
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "museum.example",
            "IDENTITY_ENCRYPTION_KEYS": IDENTITY_KEY,
        },
    )
    assert result.returncode != 0
    assert "PACKAGE_SIGNING_KEY is required" in result.stderr


def test_an_invalid_package_signing_key_stops_start_up(var_dir):
    result = run_django(
        "config.settings.production",
        {
            **var_dir,
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "museum.example",
            "IDENTITY_ENCRYPTION_KEYS": IDENTITY_KEY,
            "PACKAGE_SIGNING_KEY": "too-short",
        },
    )
    assert result.returncode != 0
    assert "PACKAGE_SIGNING_KEY" in result.stderr
    assert "too-short" not in result.stderr


def test_dev_generates_a_package_signing_key_once(tmp_path):
    env = {"VAR_DIR": str(tmp_path)}
    assert run_django("config.settings.dev", env).returncode == 0
    key_file = tmp_path / "package_signing_key"
    first = key_file.read_text()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert run_django("config.settings.dev", env).returncode == 0
    assert key_file.read_text() == first


def test_a_sqlite_connection_is_kept_between_requests(var_dir):
    # Django closes a connection at the end of a request unless CONN_MAX_AGE keeps it;
    # opening one costs SQLite about 2 ms of every page (the test client never closes it).
    script = (
        "from django.core.signals import request_finished, request_started\n"
        "from django.db import connection\n"
        "request_started.send(None); connection.ensure_connection()\n"
        "first = connection.connection\n"
        "request_finished.send(None); request_started.send(None)\n"
        "print(connection.vendor, connection.connection is first)\n"
    )
    result = run_django("config.settings.dev", var_dir, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["sqlite", "True"]
