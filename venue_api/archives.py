"""Reading stored package zips, and the deltas between two versions of a venue's package.

A delta from version m to n holds n's ``manifest.json`` and ``manifest.sig`` and only the files
of n whose SHA-256 differs from m's (or that m lacks); the client takes every other file from
its copy of m and checks it against n's signed manifest. Deltas are written once, following the
package format's rules for a reproducible zip, and kept in ``PACKAGE_ROOT/deltas/``.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from touring.models import package_storage

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o644 << 16
COMPRESS_LEVEL = 6
CHUNK = 1024 * 1024


class ArchiveMissing(Exception):
    """The package's zip is not in package storage (deleted, storage not mounted) or cannot
    be read."""


@dataclass(frozen=True)
class StoredFile:
    """A file to serve: its path on disk, size and SHA-256 (the ETag)."""

    path: Path
    size: int
    sha256: str
    filename: str


def archive_path(package) -> Path:
    if not package.archive:
        raise ArchiveMissing(str(package))
    # The storage as configured now (the builder writes through it), not as it was when the
    # model class was loaded.
    path = Path(package_storage().path(package.archive.name))
    if not path.is_file():
        raise ArchiveMissing(str(package))
    return path


def stored_archive(package) -> StoredFile:
    path = archive_path(package)
    return StoredFile(
        path=path,
        size=path.stat().st_size,
        sha256=package.sha256 or file_sha256(path),
        filename=f"{package.venue.slug}-v{package.number}.zip",
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def zip_info(name: str) -> zipfile.ZipInfo:
    """An entry with the fixed metadata of the package format."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.external_attr = ZIP_MODE
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def manifest_files(path: Path) -> dict[str, str]:
    """``{path: sha256}`` of the files a stored package's manifest lists."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    return {entry["path"]: entry["sha256"] for entry in manifest["files"]}


def deltas_dir() -> Path:
    return Path(settings.PACKAGE_ROOT) / "deltas"


def delta_archive(package, base) -> StoredFile:
    """The delta zip from ``base`` to ``package`` (two versions of one venue), built on first
    request. The cache key includes both archives' hashes, so a rebuilt archive gets a new delta."""
    target, source = stored_archive(package), stored_archive(base)
    name = (
        f"{package.venue.slug}-v{base.number}-v{package.number}-"
        f"{source.sha256[:16]}-{target.sha256[:16]}.zip"
    )
    path = deltas_dir() / name
    checksum = path.with_name(name + ".sha256")
    if not (path.is_file() and checksum.is_file()):
        try:
            _write_delta(source.path, target.path, path, checksum)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
            raise ArchiveMissing(f"{package}: {error}") from error
    return StoredFile(
        path=path,
        size=path.stat().st_size,
        sha256=checksum.read_text().strip(),
        filename=f"{package.venue.slug}-v{base.number}-to-v{package.number}.zip",
    )


def delta_members(source: Path, target: Path) -> list[str]:
    """The entries of the delta from ``source`` to ``target``, sorted by path."""
    old = manifest_files(source)
    new = manifest_files(target)
    changed = [path for path, sha in new.items() if old.get(path) != sha]
    return sorted([MANIFEST, SIGNATURE, *changed])


def _write_delta(source: Path, target: Path, path: Path, checksum: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    members = delta_members(source, target)
    # Written beside its final name and renamed: two requests building the same delta at
    # once each write their own file, and a reader never sees half a zip.
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        with (
            zipfile.ZipFile(target) as archive,
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as out,
        ):
            for name in members:
                with archive.open(name) as entry, out.open(zip_info(name), "w") as sink:
                    while chunk := entry.read(CHUNK):
                        sink.write(chunk)
        digest = file_sha256(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    checksum.write_text(digest + "\n")
