"""Benchmark: import 20,000 object records from CSV into a fresh SQLite database.

The rows come from the Walters Art Museum sample in ../shared/data (6,091 records, repeated
with a suffix on the inventory number until there are 20,000). Times `manage.py
import_objects` once into an empty database and once more with the same file, when every
record is unchanged. Prints figures, asserts nothing, and gives up after 10 minutes.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WALTERS = ROOT.parent / "shared" / "data" / "walters_objects_sample.jsonl"
ROWS = 20_000
TIME_LIMIT_SECONDS = 600
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
COLUMNS = [
    "inventory_number",
    "language",
    "title",
    "description",
    "credit_line",
    "object_type",
    "materials",
    "cultures",
    "makers",
    "place_made",
    "dating",
    "earliest_year",
    "latest_year",
    "dimensions",
    "inscriptions",
    "rights_statement",
    "published",
]


def walters_rows(count: int) -> Iterator[dict[str, str]]:
    """``count`` CSV rows; the second pass over the records gets inventory numbers "…-r1"."""
    with WALTERS.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    produced = 0
    repeat = 0
    while produced < count:
        for record in records:
            if produced == count:
                return
            suffix = f"-r{repeat}" if repeat else ""
            yield walters_row(record, suffix)
            produced += 1
        repeat += 1


def walters_row(record: dict, suffix: str) -> dict[str, str]:
    def text(name: str, limit: int | None = None) -> str:
        value = record.get(name) or ""
        # Some Walters values are longer than the model's display fields; the benchmark is
        # about speed, so it shortens them rather than having them refused.
        return value[:limit] if limit else value

    def year(name: str) -> str:
        value = record.get(name)
        return "" if value is None else str(value)

    makers = [creator.get("ConcatDisplayName") or "" for creator in record.get("Creators") or []]
    places = [
        geography.get("GeographyTerm") or ""
        for geography in record.get("Geographies") or []
        if geography.get("GeoType") == "Place of Origin"
    ]
    medium = text("Medium")
    return {
        "inventory_number": text("ObjectNumber") + suffix,
        "language": "en",
        "title": text("Title", 500) or text("ObjectName", 500) or "Untitled",
        "description": text("Description"),
        "credit_line": text("CreditLine", 1000),
        "object_type": text("ObjectName", 255),
        "materials": medium if len(medium) <= 255 else "",
        "cultures": text("Culture"),
        "makers": "|".join(name[:255] for name in makers),
        "place_made": "|".join(places),
        "dating": text("DateText", 255),
        "earliest_year": year("DateBeginYear"),
        "latest_year": year("DateEndYear"),
        "dimensions": text("Dimensions", 1000),
        "inscriptions": text("Inscriptions"),
        "rights_statement": CC0,
        "published": "true",
    }


def build_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(walters_rows(rows))


def manage(args: list[str], env: dict[str, str], deadline: float) -> tuple[float, str]:
    """Run a manage.py command; its wall time and the last line it printed."""
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=max(deadline - started, 1),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(
            f"benchmark stopped: manage.py {' '.join(args)} did not finish within "
            f"{TIME_LIMIT_SECONDS // 60} minutes"
        ) from None
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-2000:]}"
        )
    lines = result.stdout.strip().splitlines()
    return elapsed, lines[-1] if lines else ""


def run() -> None:
    if not WALTERS.exists():
        raise SystemExit(f"{WALTERS} is missing: the benchmark reads the shared sample data.")
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        var_dir = Path(folder) / "var"
        csv_path = Path(folder) / "walters_20000.csv"
        build_csv(csv_path, ROWS)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "false",
            "VAR_DIR": str(var_dir),
        }
        env.pop("DATABASE_URL", None)  # always a fresh SQLite database under the temp folder
        print(f"{ROWS} rows from {WALTERS.name}, fresh SQLite database in {var_dir}", flush=True)
        manage(["migrate", "--no-input", "-v0"], env, deadline)
        print(f"{'run':<22}{'seconds':>10}{'records/s':>12}  summary")
        for label in ("first import", "unchanged re-import"):
            seconds, summary = manage(["import_objects", str(csv_path)], env, deadline)
            print(f"{label:<22}{seconds:>10.1f}{ROWS / seconds:>12.0f}  {summary}", flush=True)


if __name__ == "__main__":
    run()
