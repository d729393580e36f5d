"""Benchmarks: print figures, assert nothing.

Home page under gunicorn: requests per second and p50/p95 latency measured with wrk on
127.0.0.1, against a fresh demo database in var/bench/. Every run is bounded in time and
stops by itself.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# wrk's Lua hook prints exact percentiles (its --latency table has no p95).
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


# Pages measured, each on its own; object pages are a loaned object with an image and
# provenance, and one of the own collection (both from the demo content).
PAGES = [
    ("home (sv)", "/"),
    ("home (en)", "/en/"),
    ("tour (sv)", "/tour/"),
    ("collection browse", "/collection/"),
    ("collection filter", "/collection/?kind=loan"),
    ("object (own)", "/collection/{own}/"),
    ("object (loan)", "/en/collection/{loan}/"),
    ("object Linked Art", "/collection/{loan}.jsonld"),
]


def demo_object_ids(env: dict[str, str]) -> dict[str, int]:
    code = (
        "from collection.models import ObjectRecord as O;"
        "print(O.objects.get(inventory_number='DEMO-001').pk, O.objects.get(inventory_number='DEMO-032').pk)"
    )
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {"own": int(output[-2]), "loan": int(output[-1])}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict[str, str]) -> None:
    steps = [
        ["migrate", "--no-input", "-v0"],
        ["load_demo", "--no-admin"],
        ["collectstatic", "--no-input", "-v0"],
    ]
    for step in steps:
        print(f"  manage.py {' '.join(step)}", flush=True)
        subprocess.run(
            [PYTHON, "manage.py", *step], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not answer within {timeout}s")


def run_wrk(url: str, seconds: int, connections: int, threads: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"RESULT (.*)", output)
    figures = {
        key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())
    }
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "requests": figures["requests"],
        "errors": figures["errors"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--skip-import", action="store_true", help="skip the 20,000-record import")
    parser.add_argument(
        "--skip-search", action="store_true", help="skip the 100,000-record search benchmark"
    )
    parser.add_argument("--skip-iiif", action="store_true", help="skip the IIIF/IIPImage benchmark")
    parser.add_argument(
        "--skip-packages", action="store_true", help="skip the venue package benchmark"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench installs it from Debian).")

    var_dir = ROOT / "var" / "bench"
    shutil.rmtree(var_dir, ignore_errors=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "VAR_DIR": str(var_dir),
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    print("Preparing a fresh demo database in var/bench/", flush=True)
    prepare(env)
    ids = demo_object_ids(env)

    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/")
        print(
            f"\ngunicorn {args.workers} sync workers, wrk {args.connections} connections, {args.seconds}s per URL, 127.0.0.1"
        )
        print(
            f"{'page':<16}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'requests':>10}{'errors':>8}"
        )
        for label, path in PAGES:
            url = base + path.format(**ids)
            run_wrk(url, 2, args.connections, 2)  # warm-up (also renders image derivatives)
            r = run_wrk(url, args.seconds, args.connections, 2)
            print(
                f"{label:<16}{r['rps']:>10.0f}{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}{r['p99_ms']:>10.1f}{r['requests']:>10}{r['errors']:>8}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=15)

    from benchmarks import bench_pages

    print("\nRich pages against a bare Wagtail page (response cache on and off)", flush=True)
    bench_pages.run(env, args.seconds, args.connections, args.workers)

    if not args.skip_import:
        from benchmarks import bench_import

        print("\nObject import (CSV, 20,000 records, fresh SQLite database)", flush=True)
        bench_import.run()

    if not args.skip_search:
        from benchmarks import bench_search

        print("\nSearch (100,000 records; the service's embedded backend beside bare tantivy)")
        index_dir = bench_search.run(index_dir=var_dir / "search-100k")
        print(f"\nSearch page and API over that index: gunicorn {args.workers} sync workers")
        bench_search.measure_pages(env, index_dir, args.seconds, args.connections, args.workers)
        print("\nThe admin's object listing searched at 100,000 objects", flush=True)
        bench_search.measure_admin()

    if not args.skip_iiif:
        from benchmarks import bench_iiif

        print("\nIIIF image server against IIPImage", flush=True)
        bench_iiif.run()

    if not args.skip_packages:
        from benchmarks import bench_packages

        print("\nContent packages for touring venues (fresh SQLite database)", flush=True)
        bench_packages.run()


if __name__ == "__main__":
    main()
