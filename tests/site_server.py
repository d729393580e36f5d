"""A real running demo site for browser and HTTP tests: gunicorn on a free loopback port.

Built once per test session in a temporary folder (SQLite, migrate, load_demo,
collectstatic), in a separate process, exactly as `make demo` runs it. Tests that talk to it
share no database transaction with it, so nothing they do is flushed or rolled back under it.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_server(var_dir: Path, timeout: float = 60):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        VAR_DIR=str(var_dir),
        SITE_URL=url,
    )
    manage = [sys.executable, "manage.py"]
    for args in (
        ["migrate", "--no-input", "-v0"],
        ["load_demo"],
        ["collectstatic", "--no-input", "-v0"],
    ):
        subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(var_dir / "server.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"demo server did not start: see {var_dir / 'server.log'}"
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
