"""Run the official IIIF Image API validator against a live server on a loopback port.

Shared by ``tests/iiif/test_validator.py`` and ``make iiif-validate``
(``python -m tests.iiif.live_validator``). The server runs in a separate process, as
``tests/site_server.py`` does it: gunicorn on a free 127.0.0.1 port over a temporary
``VAR_DIR`` (SQLite, migrate), with the validator's test image ingested by
``manage.py iiif_ingest``. The validator lives in its own virtualenv (old dependencies),
made by the Makefile target named by ``VALIDATOR``.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.site_server import ROOT, free_port

SHARED = ROOT.parent / "shared"
TEST_IMAGE = SHARED / "iiif" / "validator" / "validation_image.png"
VALIDATOR_VENV = ROOT / "var" / "iiif-validator-venv"
VALIDATOR = VALIDATOR_VENV / "bin" / "iiif-validate.py"
PREFIX = "iiif/3"
SUMMARY = re.compile(r"Done \((\d+) tests, (\d+) failures\)")


@dataclass
class ValidatorRun:
    """What one validator run reported."""

    returncode: int
    tests: int
    failures: int
    output: str

    @property
    def summary(self) -> str:
        return f"{self.tests - self.failures} of {self.tests} validator tests passed"


def ensure_validator() -> Path:
    """The validator script, installed by the Makefile target if it is missing."""
    if not VALIDATOR.exists():
        subprocess.run(
            ["make", "--no-print-directory", str(VALIDATOR.relative_to(ROOT))],
            cwd=ROOT,
            check=True,
        )
    return VALIDATOR


def _loopback_env(**extra: str) -> dict[str, str]:
    """The environment without proxies, so every request stays on 127.0.0.1."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in {"http_proxy", "https_proxy", "all_proxy"}
        and key not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost", **extra)
    return env


@contextmanager
def iiif_server(var_dir: Path, image: Path = TEST_IMAGE, timeout: float = 60):
    """Serve ``image`` from a fresh site under ``var_dir``; yield (host:port, identifier)."""
    port = free_port()
    env = _loopback_env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        VAR_DIR=str(var_dir),
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    ingest = subprocess.run(
        [*manage, "iiif_ingest", str(image), "--title", "IIIF validator test image"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    identifier = ingest.stdout.strip()
    log = open(var_dir / "server.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/{PREFIX}/{identifier}/info.json"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"IIIF server did not start: see {var_dir / 'server.log'}"
                    ) from None
                time.sleep(0.2)
        yield f"127.0.0.1:{port}", identifier
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def run_validator(server: str, identifier: str, level: int = 2) -> ValidatorRun:
    """Run every Image API 3.0 test up to ``level`` against ``server``."""
    validator = ensure_validator()
    result = subprocess.run(
        [
            str(validator.parent / "python"),
            str(validator),
            *("-s", server, "-p", PREFIX, "-i", identifier),
            # Not 2.1: the validator runs no test at all for it and exits 0.
            *("--version", "3.0", "--level", str(level)),
        ],
        env=_loopback_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    match = SUMMARY.search(output)
    tests, failures = (int(match[1]), int(match[2])) if match else (0, -1)
    return ValidatorRun(result.returncode, tests, failures, output)


def main() -> int:
    """``make iiif-validate``: serve the test image, validate, print the summary."""
    ensure_validator()
    with (
        tempfile.TemporaryDirectory(prefix="iiif-validate-") as var_dir,
        iiif_server(Path(var_dir)) as (server, identifier),
    ):
        run = run_validator(server, identifier)
    details = [line for line in run.output.splitlines() if " FAIL" in line or line[:2] == "  "]
    found = SUMMARY.search(run.output)
    sys.stdout.write(
        "\n".join([*details, f"{run.summary} ({found[0] if found else 'no summary'})"])
    )
    sys.stdout.write("\n")
    return 0 if run.returncode == 0 and run.tests and run.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
