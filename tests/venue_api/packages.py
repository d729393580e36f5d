"""Small signed packages for the venue API tests, written as the package format says.

Until the real builder is used (one integration test does), these stand in for it: a zip with
``manifest.json``, ``manifest.sig`` and the given files, stored in package storage, and a ready
``PackageVersion`` row. Options make broken packages for the fault tests.
"""

import datetime
import hashlib
import io
import json
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from touring import signing
from touring.models import PackageVersion
from venue_api.archives import COMPRESS_LEVEL, zip_info


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sample_files(label: str = "first", testimony_id: int = 7) -> dict[str, bytes]:
    """A small package body: data, a testimony's media, a portrait and a kiosk page."""
    stories = {
        "testimonies": [
            {"id": testimony_id, "title": "Fictional testimony (demo)", "voice": 3},
            {"id": 99, "title": "Another fictional testimony (demo)", "voice": 4},
        ]
    }
    return {
        "data/objects.json": canonical([{"id": 1, "title": f"Object label, {label}"}]),
        "data/stories.json": canonical(stories),
        "kiosk/data/stories.js": b"window.STORIES = " + canonical(stories) + b";\n",
        "kiosk/index.html": b"<!doctype html><title>Kiosk</title>",
        f"media/testimonies/{testimony_id}/audio.mp3": b"ID3" + bytes(range(256)) * 40,
        f"media/testimonies/{testimony_id}.vtt": b"WEBVTT\n",
        "media/testimonies/99/audio.mp3": b"ID3" + bytes(reversed(range(256))) * 40,
        "images/portraits/3.jpg": b"\xff\xd8 portrait 3",
        "images/tiles/1/full.jpg": b"\xff\xd8" + b"tile" * 500,
    }


def make_package(
    venue,
    number: int,
    files: dict[str, bytes] | None = None,
    *,
    parent: PackageVersion | None = None,
    revoked: list[dict] | None = None,
    valid_until: datetime.date | None = None,
    extra_entries: dict[str, bytes] | None = None,
    unlisted: set[str] | None = None,
    private_key=None,
    status=PackageVersion.Status.READY,
) -> PackageVersion:
    """A signed package zip for ``venue`` and its ``PackageVersion`` row.

    ``extra_entries`` go into the zip without being listed (tampering, zip-slip); ``unlisted``
    names files kept out of the manifest; ``private_key`` signs with another key."""
    files = sample_files() if files is None else files
    unlisted = unlisted or set()
    valid_until = valid_until or (timezone.now().date() + datetime.timedelta(days=90))
    public_key = signing.museum_public_key()
    manifest = {
        "format": "trafficking-package/1",
        "venue": {
            "slug": venue.slug,
            "name": venue.institution,
            "city": venue.city,
            "country": venue.country,
            "languages": [code.strip() for code in venue.language_codes.split(",")],
            "time_zone": venue.time_zone,
        },
        "languages": [code.strip() for code in venue.language_codes.split(",")],
        "version": number,
        "parent_version": parent.number if parent else None,
        "built_at": "2026-11-01T10:00:00Z",
        "valid_until": valid_until.isoformat(),
        "key_id": signing.key_id(public_key),
        "files": [
            {"path": path, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
            for path, body in sorted(files.items())
            if path not in unlisted
        ],
        "revoked": revoked or [],
        "consent_bound": ["data/stories.json", "media/testimonies/", "images/portraits/"],
    }
    manifest_bytes = canonical(manifest)
    signature = (private_key or signing.signing_key()).sign(manifest_bytes)
    entries = {**files, "manifest.json": manifest_bytes, "manifest.sig": signature}
    entries.update(extra_entries or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
        for path in sorted(entries):
            zf.writestr(zip_info(path), entries[path])
    body = buffer.getvalue()
    package = PackageVersion(
        venue=venue,
        number=number,
        parent=parent,
        status=status,
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        manifest=manifest,
        valid_until=valid_until,
        finished_at=timezone.now(),
    )
    package.archive.save(f"{venue.slug}-v{number}.zip", ContentFile(body), save=False)
    package.save()
    return package
