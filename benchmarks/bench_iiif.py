"""Benchmark: this IIIF image server against Debian's IIPImage, side by side, same master.

One 12000x9000 master (generated into var/bench-iiif/, never committed), converted to the
pyramidal TIFF our upload task builds; IIPImage (FastCGI, Image API 2.0, its cache off, run
with spawn-fcgi behind nginx) reads that same TIFF. Ours runs under gunicorn (2 sync
workers) behind nginx with the repository's deploy/nginx/iiif.conf. wrk on 127.0.0.1 measures
info.json, random uncached 256-px tiles across all zoom levels (each URL requested once:
the tile grid of several identifiers of the same master), one repeated tile (ours: the
cached file served by nginx), full-image downscales to about 1000 px (distinct widths, so
uncached), and nginx serving a static file as the baseline. Each row runs in rounds, ours and
IIPImage taking turns, and shows the medians, so a load passing over the machine hits both.
Uncached tiles of ours are first requests: a tile copied out of the pyramid is stored in the
cache only when asked for again (collection/iiif/cache.py).

Then the memory check: a 30000x20000 master, served by one gunicorn worker (info.json, tiles
at every level, a 1000-px downscale, the largest allowed size); the worker's peak resident
memory is read from /proc (VmHWM). Prints figures, asserts nothing.
"""

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.run import WRK_REPORT, free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
IIPSRV = "/usr/lib/iipimage-server/iipsrv.fcgi"
WIDTH, HEIGHT = 12000, 9000
BIG_WIDTH, BIG_HEIGHT = 30000, 20000
TILE = 256
IDENTIFIERS = 24  # copies of the master, so that uncached tile URLs do not run out
ROUNDS = 3  # per row, the servers taking turns, so that a passing load hits both alike
JPEG_QUALITY = 85  # ours (processing.JPEG_QUALITY); IIPImage is set to the same

# wrk walks a list of paths, each thread its own share, each path once until the list ends.
WRK_PATHS = """
local counter = 0
local threads = {}
setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
init = function(args)
  paths = {}
  for line in io.lines(args[1]) do table.insert(paths, line) end
  nthreads = tonumber(args[2])
  index = id
end
request = function()
  local path = paths[(index % #paths) + 1]
  index = index + nthreads
  return wrk.format("GET", path)
end
"""

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {var}/nginx.pid;
error_log {var}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=10000 inactive=60s;
    keepalive_requests 100000;
    types {{ image/jpeg jpg; application/json json; }}
    upstream platform_app {{ server 127.0.0.1:{app_port}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        set $iiif_cache_root {cache};
        include {root}/deploy/nginx/iiif.conf;
        location /static-baseline/ {{ alias {var}/static/; }}
        location /fcgi-bin/iipsrv.fcgi {{
            fastcgi_pass 127.0.0.1:{fcgi_port};
            fastcgi_keep_conn on;
            include /etc/nginx/fastcgi_params;
        }}
    }}
}}
"""


def perlin_master(path: Path, width: int, height: int) -> None:
    """A photograph-like master (smooth structure with fine grain) as a JPEG."""
    import pyvips

    bands = [
        pyvips.Image.perlin(width, height, cell_size=cell, seed=cell) for cell in (512, 97, 31)
    ]
    image = (
        ((bands[0] + 1) * 100 + (bands[1] + 1) * 20 + (bands[2] + 1) * 8)
        .cast("uchar")
        .bandjoin([((bands[1] + 1) * 110).cast("uchar"), ((bands[2] + 1) * 90 + 40).cast("uchar")])
        .copy(interpretation="srgb")
    )
    image.jpegsave(str(path), Q=90)


def plain_master(path: Path, width: int, height: int) -> None:
    """A large master cheaply: gradients with a fine grid (perlin at 600 MP is slow)."""
    import pyvips

    xyz = pyvips.Image.xyz(width, height)
    red = (xyz[0] * 255 / width).cast("uchar")
    green = (xyz[1] * 255 / height).cast("uchar")
    blue = ((xyz[0] % 64) * 4).cast("uchar")
    red.bandjoin([green, blue]).copy(interpretation="srgb").jpegsave(str(path), Q=85)


def manage(env, *args) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def tile_paths(width: int, height: int) -> list[str]:
    """Every 256-px tile of every level, as region/size (the "w," form, valid in 2.0 and 3.0)."""
    paths, factor = [], 1
    while True:
        span = TILE * factor
        for y in range(0, height, span):
            for x in range(0, width, span):
                w, h = min(span, width - x), min(span, height - y)
                paths.append(f"{x},{y},{w},{h}/{max(1, round(w / factor))},/0/default.jpg")
        if width <= span and height <= span:
            return paths
        factor *= 2


def run_wrk(url_base: str, paths: list[str], seconds: int, connections=8, threads=2) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "paths.lua"
        script.write_text(WRK_PATHS + WRK_REPORT)
        listing = Path(folder) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", str(script), url_base, "--", str(listing), str(threads)],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        ).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    figures = {k: int(v) for k, v in (pair.split("=") for pair in line.split()[1:])}
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000,
        "p95": figures["p95_us"] / 1000,
        "requests": figures["requests"],
        "errors": figures["errors"],
    }


def _median_row(label: str, server: str, runs: list[dict]) -> str:
    rates = sorted(r["rps"] for r in runs)
    median = statistics.median
    cpu = median(r["cpu_ms"] for r in runs)
    row = (
        f"{label:<18}{server:<10}{median(rates):>9.0f}{median(r['p50'] for r in runs):>9.2f}"
        f"{median(r['p95'] for r in runs):>9.2f}{cpu:>11.3f}{sum(r['requests'] for r in runs):>10}"
        f"{sum(r['errors'] for r in runs):>8}  [{rates[0]:.0f}-{rates[-1]:.0f}]"
    )
    repeats = sum(r["repeats"] for r in runs)
    return row + (f"  ({repeats} repeats: cached)" if repeats else "")


def check(url: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")


def report_layers(cached_url: str, app_url: str) -> None:
    """Show that nginx answers the cached tile itself and each answer has one CORS header."""
    for label, url in (("cached tile", cached_url), ("info.json", app_url)):
        with urllib.request.urlopen(url, timeout=30) as response:
            cors = response.headers.get_all("Access-Control-Allow-Origin") or []
            # Only nginx's static module sends Accept-Ranges; Django's answers do not.
            by = "nginx (file)" if response.headers.get("Accept-Ranges") else "gunicorn"
            print(f"  {label}: answered by {by}, Access-Control-Allow-Origin x{len(cors)}")


def comparison(seconds: int) -> None:
    var = ROOT / "var" / "bench-iiif"
    shutil.rmtree(var, ignore_errors=True)
    (var / "static").mkdir(parents=True)
    app_port, port, fcgi_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "VAR_DIR": str(var),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "IIIF_CACHE_MAX_MB": "4000",
    }
    env.pop("DATABASE_URL", None)
    master = var / "master.jpg"
    print(f"Generating a {WIDTH}x{HEIGHT} master in var/bench-iiif/", flush=True)
    perlin_master(master, WIDTH, HEIGHT)
    manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    ids = [manage(env, "iiif_ingest", str(master)).strip() for _ in range(IDENTIFIERS)]
    print(
        f"  {IDENTIFIERS} ingests with pyramid: {(time.monotonic() - started) / IDENTIFIERS:.1f}s each"
    )
    pyramid = next((var / "iiif-pyramids" / ids[0]).glob("*.tif"))
    iip_dir = var / "iip"
    iip_dir.mkdir()
    os.link(pyramid, iip_dir / "bench.tif")

    processes = []
    try:
        log = open(var / "servers.log", "w")  # noqa: SIM115
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{app_port}",
             "--workers", "2", "--no-control-socket", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        ))  # fmt: skip
        iip_env = {
            **os.environ,
            "FILESYSTEM_PREFIX": f"{iip_dir}/",
            "MAX_IMAGE_CACHE_SIZE": "0",
            "JPEG_QUALITY": str(JPEG_QUALITY),
            "CORS": "*",
            "VERBOSITY": "0",
            "MAX_CVT": "5000",
            "LOGFILE": str(var / "iipsrv.log"),
        }
        processes.append(subprocess.Popen(
            ["spawn-fcgi", "-n", "-a", "127.0.0.1", "-p", str(fcgi_port), "-F", "2", "--", IIPSRV],
            env=iip_env, stdout=log, stderr=subprocess.STDOUT,
        ))  # fmt: skip
        conf = var / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                var=var,
                app_port=app_port,
                port=port,
                fcgi_port=fcgi_port,
                cache=var / "iiif-cache",
                root=ROOT,
            )  # fmt: skip
        )
        processes.append(subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(var)], stdout=log, stderr=subprocess.STDOUT
        ))  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/iiif/3/{ids[0]}/info.json")
        iip = "/fcgi-bin/iipsrv.fcgi?IIIF=bench.tif"
        wait_until_up(f"{base}{iip}/info.json")

        tiles = tile_paths(WIDTH, HEIGHT)
        rng = random.Random(4)  # noqa: S311 (a repeatable sample, not a secret)
        ours_uncached = [f"/iiif/3/{i}/{t}" for i in ids for t in tiles]
        rng.shuffle(ours_uncached)
        iip_tiles = [f"{iip}/{t}" for t in tiles]
        rng.shuffle(iip_tiles)
        repeated = "2048,2048,256,256/256,/0/default.jpg"
        # A tile copied from the pyramid is stored on its second request to one worker;
        # from then on nginx answers it as a file.
        for _attempt in range(8):
            check(f"{base}/iiif/3/{ids[-1]}/{repeated}")
            cached = next((var / "iiif-cache" / ids[-1]).glob("*default.jpg"), None)
            if cached:
                break
        else:
            raise SystemExit("The repeated tile was never stored in the cache.")
        report_layers(f"{base}/iiif/3/{ids[-1]}/{repeated}", f"{base}/iiif/3/{ids[-1]}/info.json")
        shutil.copy(cached, var / "static" / "tile.jpg")
        widths = list(range(900, 1100))
        ours_full = [f"/iiif/3/{i}/full/{w},/0/default.jpg" for i in ids for w in widths]
        rng.shuffle(ours_full)
        iip_full = [f"{iip}/full/{w},/0/default.jpg" for w in widths]

        cases = [
            ("info.json", [f"/iiif/3/{ids[0]}/info.json"], [f"{iip}/info.json"]),
            ("uncached tiles", ours_uncached, iip_tiles),
            ("cached tile", [f"/iiif/3/{ids[-1]}/{repeated}"], [f"{iip}/{repeated}"]),
            ("full -> ~1000px", ours_full, iip_full),
        ]
        print(f"\nIIIF, {WIDTH}x{HEIGHT} master, pyramidal JPEG TIFF; wrk 2 threads, 8 connections,"
              f" 127.0.0.1, {ROUNDS} rounds of {seconds}s per row, the two servers taking turns"
              " (medians shown, req/s range in brackets). Ours: gunicorn 2 sync workers behind"
              " nginx (deploy/nginx/iiif.conf); IIPImage 1.1: 2 FastCGI processes behind the same"
              f" nginx, cache off, JPEG Q{JPEG_QUALITY}.")  # fmt: skip
        print("CPU ms/req: CPU time of the server's own processes (gunicorn workers; the"
              " IIPImage FastCGI processes) per request, which other load on the machine does"
              " not change; nginx and wrk are left out for both.")  # fmt: skip
        header = (
            f"{'request':<18}{'server':<10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'CPU ms/req':>11}{'requests':>10}{'errors':>8}"
        )
        print(header)
        server_pids = {
            "ours": lambda: _children(processes[0].pid),
            "IIPImage": lambda: _pids_of(IIPSRV),
        }
        for label, ours_paths, iip_paths in cases:
            unique = label in ("uncached tiles", "full -> ~1000px")
            results = {"ours": [], "IIPImage": []}
            for turn in range(ROUNDS):
                for server, paths in (("ours", ours_paths), ("IIPImage", iip_paths)):
                    if unique and server == "ours":  # each round its own, never asked before
                        paths = paths[turn::ROUNDS]
                    pids = server_pids[server]()
                    cpu = _cpu_seconds(pids)
                    r = run_wrk(base, paths, seconds)
                    r["cpu_ms"] = (_cpu_seconds(pids) - cpu) * 1000 / max(1, r["requests"])
                    fresh = unique and server == "ours"
                    r["repeats"] = max(0, r["requests"] - len(paths)) if fresh else 0
                    results[server].append(r)
            for server, runs in results.items():
                print(_median_row(label, server, runs), flush=True)
        runs = [run_wrk(base, ["/static-baseline/tile.jpg"], seconds) for _ in range(ROUNDS)]
        print(_median_row("static file", "nginx", [{**r, "repeats": 0, "cpu_ms": 0} for r in runs]))
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM if process.args[0] != "nginx" else signal.SIGQUIT)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time used so far by the processes ``pids``."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def _pids_of(executable: str) -> list[int]:
    """The processes running ``executable``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "exe") == executable:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(child) for child in text.split()]


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def memory() -> None:
    var = ROOT / "var" / "bench-iiif-memory"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "VAR_DIR": str(var),
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("DATABASE_URL", None)
    master = var / "big.jpg"
    print(
        f"\nMemory: a {BIG_WIDTH}x{BIG_HEIGHT} master ({BIG_WIDTH * BIG_HEIGHT / 1e6:.0f} MP)",
        flush=True,
    )
    plain_master(master, BIG_WIDTH, BIG_HEIGHT)
    manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    before = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN).ru_maxrss
    identifier = manage(env, "iiif_ingest", str(master)).strip()
    build_peak = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN).ru_maxrss
    print(f"  ingest with pyramid build: {time.monotonic() - started:.1f}s, peak RSS of the"
          f" process {max(build_peak, before) / 1024:.0f} MB")  # fmt: skip
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--no-control-socket", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/iiif/3/{identifier}"
        wait_until_up(f"{base}/info.json")
        worker = _children(server.pid)[0]
        rng = random.Random(7)  # noqa: S311
        tiles = tile_paths(BIG_WIDTH, BIG_HEIGHT)
        requests = ["info.json", *rng.sample(tiles, 200), "full/1000,/0/default.jpg",
                    "full/max/0/default.jpg", "full/pct:10/0/default.png", "full/max/90/gray.webp",
                    "1000,1000,5000,5000/1200,/0/default.jpg"]  # fmt: skip
        started = time.monotonic()
        for path in requests:
            check(f"{base}/{path}")
        elapsed = time.monotonic() - started
        print(f"  {len(requests)} requests (info.json, 200 random tiles over all levels, full/1000,"
              f" full/max (capped by maxArea), pct:10 PNG, rotated WebP, a 5000-px region) in"
              f" {elapsed:.1f}s")  # fmt: skip
        print(
            f"  gunicorn worker peak RSS (VmHWM): {_peak_kb(worker) / 1024:.0f} MB (target < 300 MB)"
        )
    finally:
        server.terminate()
        server.wait(timeout=15)


def run(seconds: int = 5) -> None:
    for need in ("wrk", "nginx", "spawn-fcgi"):
        if not shutil.which(need):
            raise SystemExit(f"{need} is missing (make bench installs it).")
    if not os.path.exists(IIPSRV):
        raise SystemExit(f"{IIPSRV} is missing (make bench installs iipimage-server).")
    comparison(seconds)
    memory()


if __name__ == "__main__":
    run()
