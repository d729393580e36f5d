"""Benchmark: content packages for touring venues.

In a throwaway database (var/bench-packages/): build the demo's home venue package, change
one label and build again (the delta a venue would download is the files whose SHA-256
changed between the two manifests), then build a package for a generated venue with 1,000
placed objects (one in four with an image, labels in two languages). Prints build time, zip
size and file counts; asserts nothing; gives up after 20 minutes.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT_SECONDS = 1200
GENERATED_OBJECTS = 1000
IMAGE_EVERY = 4


def run(var_dir: Path | None = None) -> None:
    var_dir = var_dir or ROOT / "var" / "bench-packages"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PACKAGE_ROOT", "MEDIA_ROOT"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="false", VAR_DIR=str(var_dir))
    try:
        subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_packages", "--inside"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=TIME_LIMIT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        print(f"  gave up after {TIME_LIMIT_SECONDS} s")


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"


def _timed_build(venue):
    from touring.builder import build_package

    started = time.perf_counter()
    version = build_package(venue)
    return version, time.perf_counter() - started


def _print(label: str, version, seconds: float) -> None:
    files = version.manifest["files"]
    print(
        f"  {label:<44}{seconds:>8.1f} s{_mb(version.size):>12}{len(files):>8} files",
        flush=True,
    )


def _delta(old, new) -> tuple[int, int]:
    before = {entry["path"]: entry["sha256"] for entry in old.manifest["files"]}
    changed = [e for e in new.manifest["files"] if before.get(e["path"]) != e["sha256"]]
    return len(changed), sum(entry["size"] for entry in changed)


def _generate(count: int):
    """A venue with ``count`` published objects placed in ten rooms, labels in sv and en."""
    import datetime
    import io
    from decimal import Decimal

    from django.core.files.images import ImageFile

    from wagtail.models import Locale

    from PIL import Image as PILImage

    from collection.models import MuseumImage, ObjectImage, ObjectRecord, ObjectText
    from exhibition.models import Placement, PlacementText, Room, RoomText, Venue

    sv, en = Locale.objects.get(language_code="sv"), Locale.objects.get(language_code="en")
    venue = Venue.objects.create(
        institution="Benchmark venue (generated)",
        slug="bench-1000",
        city="Exempelstad",
        country="SE",
        language_codes="sv, en",
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 12, 31),
        floor_area_m2=Decimal("1000"),
    )
    rooms = []
    for number in range(10):
        room = Room.objects.create(
            venue=venue,
            slug=f"room-{number}",
            visit_order=number + 1,
            area_m2=Decimal("100"),
            shape=f"{number * 10},0 {number * 10 + 10},0 {number * 10 + 10},10 {number * 10},10",
        )
        RoomText.objects.create(room=room, locale=sv, name=f"Rum {number + 1}")
        RoomText.objects.create(room=room, locale=en, name=f"Room {number + 1}")
        rooms.append(room)
    objects = ObjectRecord.objects.bulk_create(
        ObjectRecord(inventory_number=f"BENCH-{n:04d}", is_published=True, dating="1900")
        for n in range(count)
    )
    ObjectText.objects.bulk_create(
        ObjectText(object=obj, locale=locale, title=f"{prefix} {obj.inventory_number}")
        for obj in objects
        for locale, prefix in ((sv, "Föremål"), (en, "Object"))
    )
    placements = Placement.objects.bulk_create(
        Placement(room=rooms[n % len(rooms)], object=obj, position=n, visit_order=n)
        for n, obj in enumerate(objects)
    )
    PlacementText.objects.bulk_create(
        PlacementText(placement=p, locale=locale, kind="object", text=f"{text} {p.object_id}.")
        for p in placements
        for locale, text in ((sv, "Etikett för föremål"), (en, "Label of object"))
    )
    for n, obj in enumerate(objects):
        if n % IMAGE_EVERY:
            continue
        buffer = io.BytesIO()
        PILImage.new("RGB", (1600, 1200), (n % 255, 90, 160)).save(buffer, "JPEG", quality=85)
        image = MuseumImage.objects.create(
            title=obj.inventory_number, file=ImageFile(buffer, name=f"bench-{n}.jpg")
        )
        ObjectImage.objects.create(object=obj, image=image)
    return venue


def inside() -> None:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from io import StringIO

    from django.core.management import call_command

    from exhibition.models import PlacementText, Venue

    print("  preparing the demo database", flush=True)
    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_demo", "--no-admin", stdout=StringIO())
    home = Venue.objects.get(is_home_museum=True)
    print(f"  {'package':<44}{'build':>10}{'zip':>12}{'entries':>14}")
    first, seconds = _timed_build(home)
    _print(f"demo venue {home.slug}", first, seconds)
    label = PlacementText.objects.filter(placement__room__venue=home).order_by("pk").first()
    label.text += " (changed)"
    label.save()
    second, seconds = _timed_build(home)
    _print(f"demo venue {home.slug}, one label changed", second, seconds)
    count, size = _delta(first, second)
    print(
        f"  delta after one label change: {count} files, {size:,} bytes "
        f"(of {second.size:,} in the whole zip; manifest.json and manifest.sig come with it)"
    )
    venue = _generate(GENERATED_OBJECTS)
    version, seconds = _timed_build(venue)
    _print(f"{GENERATED_OBJECTS:,} objects (1 in {IMAGE_EVERY} with image)", version, seconds)


if __name__ == "__main__":
    if "--inside" in sys.argv:
        inside()
    else:
        run()
