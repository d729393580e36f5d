"""Benchmark: rich pages against a bare Wagtail page, side by side, in the same run.

The bare page is Wagtail's own base page type (a title only) under the demo home page,
rendered by the same gunicorn with the same site template. Rich pages are a demo narrative
page (the one with the most StreamField blocks) and a demo object page (a loan with an image,
provenance and voices). Each URL is measured with the response cache on (as deployed) and
off (every request renders), so the figures show what rendering costs and what the cache
buys. The target: rich pages at least as many requests per second as the bare page.
Prints figures, asserts nothing.
"""

import subprocess
import sys

from benchmarks.run import ROOT, free_port, run_wrk, wait_until_up

PYTHON = sys.executable

SETUP = """
from wagtail.models import Page, Site
from exhibition.models import NarrativePage
from collection.models import ObjectRecord
home = Site.objects.get(is_default_site=True).root_page
bare = Page.objects.child_of(home).filter(slug="bare-benchmark").first()
if bare is None:
    bare = home.add_child(instance=Page(title="Bare page", slug="bare-benchmark"))
richest = max(
    NarrativePage.objects.live().filter(locale=home.locale),
    key=lambda page: len(page.body),
)
loan = ObjectRecord.objects.get(inventory_number="DEMO-032")
print("URLS", bare.url, richest.url, len(richest.body), f"/collection/{loan.pk}/")
"""


def urls(env: dict[str, str]) -> dict[str, str]:
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("URLS "))
    _, bare, narrative, blocks, obj = line.split()
    return {
        "bare page": bare,
        f"narrative ({blocks} blocks)": narrative,
        "object (loan)": obj,
    }


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def run(env: dict[str, str], seconds: int, connections: int, workers: int) -> None:
    pages = urls(env)
    results: dict[tuple[str, str], dict[str, float]] = {}
    for mode in ("cache on", "cache off"):
        port = free_port()
        server_env = {
            **env,
            "RESPONSE_CACHE": "true" if mode == "cache on" else "false",
            "SITE_URL": f"http://127.0.0.1:{port}",
        }
        server = serve(server_env, port, workers)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/")
            for label, path in pages.items():
                run_wrk(base + path, 2, connections, 2)  # warm-up: renditions, first render
                results[(label, mode)] = run_wrk(base + path, seconds, connections, 2)
        finally:
            server.terminate()
            server.wait(timeout=15)

    print(
        f"gunicorn {workers} sync workers, wrk {connections} connections, {seconds}s per URL "
        "and mode, 127.0.0.1"
    )
    print(f"{'page':<26}{'mode':<11}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for (label, mode), r in results.items():
        print(
            f"{label:<26}{mode:<11}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
            f"{r['errors']:>8}"
        )
    bare = results[("bare page", "cache off")]["rps"]
    print(f"\nAgainst the bare page rendered by Wagtail ({bare:.0f} req/s, cache off):")
    for label in pages:
        if label == "bare page":
            continue
        rich = results[(label, "cache on")]["rps"]
        verdict = "meets" if rich >= bare else "misses"
        print(
            f"  {label:<26} cache on {rich:>7.0f} req/s = {rich / bare:.2f}x  ({verdict} the target)"
        )
