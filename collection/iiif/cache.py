"""A size-capped disk cache of rendered IIIF images, laid out so nginx can serve it.

A rendered image is stored at ``{IIIF_CACHE_DIR}/{identifier}/{region}_{size}_{rotation}_
{quality}.{format}``: its canonical Image API URL, one folder per image (nginx joins the
URL's segments the same way). A request made in another
spelling (``256,256`` where ``max`` is canonical) gets a hard link at its own path too. So
nginx maps ``/iiif/3/{identifier}/{rest}`` to a file with ``try_files`` and answers a
repeated request without reaching Django (deploy/nginx/iiif.conf); a miss falls through to
the application, which renders into this cache.

Files are written to a temporary name and moved into place with ``os.replace``, so a reader
sees a whole file or none. The modification time is the render time (nginx and Django
derive the same ``ETag`` and ``Last-Modified`` from it); a hit through Django sets the
access time, and eviction deletes the least recently used files (by access time, as far as
the filesystem records it for reads by nginx) once the folder passes its cap. Eviction scans
the folder, so it runs after every ~1% of the cap written by this process.

Withdrawing an image purges its folder (:meth:`DerivativeCache.purge`): renamed away in one
step, so nginx stops finding its files at once, then deleted. The folder lies outside
``MEDIA_ROOT`` on purpose.
"""

import contextlib
import itertools
import logging
import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# A temporary file older than this belongs to a worker that died mid-render.
STALE_TEMP_SECONDS = 3600
# Evicting down to below the cap leaves room, so the next writes do not evict at once.
EVICT_TO = 0.9
# Longer path segments (a rotation of 0.000…1 spelled to 300 digits) are rendered but not
# stored: four of them must fit one file name, and no viewer asks for them twice.
MAX_SEGMENT = 60
_TRASH_PREFIX = ".purged-"
# Joins region, size, rotation and quality.format into one file name; it appears in none of
# them (nginx joins its captures the same way: deploy/nginx/iiif.conf).
_JOIN = "_"
_counter = itertools.count()
# How many requests a process remembers to tell a second request from a first one.
ASKED_MEMORY = 100_000


def cacheable(identifier: str, name: str) -> bool:
    """Whether ``identifier``/``name`` can be a path in the cache (short, no dot segments)."""
    parts = [identifier, *name.split("/")]
    return len(parts) == 5 and all(
        0 < len(part) <= MAX_SEGMENT and not part.startswith(".") and _JOIN not in part
        for part in parts
    )


class DerivativeCache:
    """Rendered images on disk under ``directory``, at most about ``max_bytes`` in total."""

    def __init__(self, directory: Path, max_bytes: int):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._written_since_scan: int | None = None  # None: never scanned by this process
        self._asked: OrderedDict[str, None] = OrderedDict()

    def asked_before(self, identifier: str, name: str) -> bool:
        """Whether this process was asked for ``name`` of ``identifier`` before (of the last
        ``ASKED_MEMORY`` requests); remembers this request either way.

        A tile copied straight out of the pyramid costs less to serve again than to store,
        and most tiles of a deep zoom are asked for once: such tiles are stored on their
        second request, from when on nginx answers them as files.
        """
        key = f"{identifier}/{name}"
        with self._lock:
            if key in self._asked:
                self._asked.move_to_end(key)
                return True
            self._asked[key] = None
            if len(self._asked) > ASKED_MEMORY:
                self._asked.popitem(last=False)
            return False

    def path_for(self, identifier: str, name: str) -> Path:
        """Where the image ``name`` (``region/size/rotation/quality.format``) of
        ``identifier`` lives: one folder per image, the four segments joined by ``_``."""
        return Path(self._path(identifier, name))

    def _path(self, identifier: str, name: str) -> str:
        # Strings, not Path objects: this runs several times for every tile.
        return f"{self.directory}/{identifier}/{name.replace('/', _JOIN)}"

    def get(self, identifier: str, name: str) -> tuple[Path, os.stat_result] | None:
        """The cached file and its stat, marked as just used, or None."""
        path = self._path(identifier, name)
        try:
            stat = os.stat(path)
            # Access time only: the modification time is the file's version (ETag).
            os.utime(path, ns=(time.time_ns(), stat.st_mtime_ns))
        except FileNotFoundError:
            return None
        return Path(path), stat

    def _temporary(self, identifier: str, suffix: str) -> str:
        """A new empty file in the image's folder, named for this process and thread."""
        folder = f"{self.directory}/{identifier}"
        name = f"{folder}/.tmp-{os.getpid()}-{threading.get_ident()}-{next(_counter)}{suffix}"
        try:
            handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileNotFoundError:  # the image's first cached file: make its folder
            os.makedirs(folder, exist_ok=True)
            handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.close(handle)
        return name

    def put(
        self,
        identifier: str,
        name: str,
        write: Callable[[Path], None],
        aliases: Iterable[str] = (),
        mtime_ns: int | None = None,
    ) -> Path:
        """Create the file for ``name`` by calling ``write(temporary_path)``, link it at the
        ``aliases`` (other spellings of the same request), and return its path.

        ``mtime_ns`` sets the file's modification time (its version, from which the ETag
        comes) when the content has a version of its own, such as a tile copied from a
        pyramid; by default it is the time of writing."""
        path = self._path(identifier, name)
        # The suffix stays last so that writers choosing a format by name still can.
        temporary = self._temporary(identifier, os.path.splitext(name)[1])
        try:
            write(Path(temporary))
            os.chmod(temporary, 0o644)  # readable by nginx, like any static file
            if mtime_ns is not None:
                os.utime(temporary, ns=(time.time_ns(), mtime_ns))
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        for alias in aliases:
            if alias != name:
                self._link(identifier, path, self._path(identifier, alias))
        self._written(os.stat(path).st_size)
        return Path(path)

    def _link(self, identifier: str, source: str, alias: str) -> None:
        temporary = f"{self.directory}/{identifier}/.tmp-{os.getpid()}-{next(_counter)}.link"
        try:
            os.link(source, temporary)
            os.replace(temporary, alias)
        except OSError:
            # A missing link only costs a trip to Django; never fail the request for it.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

    def purge(self, identifier: str) -> int:
        """Delete every cached image of ``identifier``; return how many files went."""
        folder = self.path_for(identifier, "")
        trash = self.directory / f"{_TRASH_PREFIX}{identifier}-{uuid.uuid4().hex}"
        try:
            # One rename: from here on neither nginx nor Django finds any of its files.
            os.rename(folder, trash)
        except FileNotFoundError:
            return 0
        count = sum(len(files) for _root, _dirs, files in os.walk(trash))
        shutil.rmtree(trash, ignore_errors=True)
        logger.info("IIIF cache: purged %d files of image %s", count, identifier)
        return count

    def identifiers(self) -> list[str]:
        """The identifiers that have cached images."""
        if not self.directory.is_dir():
            return []
        return [
            entry.name
            for entry in os.scandir(self.directory)
            if entry.is_dir() and not entry.name.startswith(".")
        ]

    def _written(self, size: int) -> None:
        with self._lock:
            due = (
                self._written_since_scan is None
                or self._written_since_scan + size >= self.max_bytes // 100
            )
            self._written_since_scan = 0 if due else self._written_since_scan + size
        if due:
            self.evict()

    def evict(self) -> int:
        """Delete least recently used files until the folder is under its cap; return how many."""
        entries, total, now = [], 0, time.time()
        # Hard links (aliases) share their data: count each file's size once.
        seen: set[tuple[int, int]] = set()
        for root, _dirs, files in os.walk(self.directory):
            for name in files:
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:  # another worker evicted it meanwhile
                    continue
                if name.startswith(".tmp-") or _TRASH_PREFIX in path:
                    if now - stat.st_mtime > STALE_TEMP_SECONDS:
                        Path(path).unlink(missing_ok=True)
                    continue
                inode = (stat.st_dev, stat.st_ino)
                size = 0 if inode in seen else stat.st_size
                seen.add(inode)
                entries.append((max(stat.st_atime, stat.st_mtime), size, path))
                total += size
        if total <= self.max_bytes:
            return 0
        removed = 0
        target = self.max_bytes * EVICT_TO
        for _used, size, path in sorted(entries):
            if total <= target:
                break
            Path(path).unlink(missing_ok=True)
            total -= size
            removed += 1
        logger.info("IIIF cache: evicted %d files, %d bytes left", removed, total)
        return removed


_caches: dict[tuple[str, int], DerivativeCache] = {}
_caches_lock = threading.Lock()


def get_cache() -> DerivativeCache:
    """The cache configured by ``IIIF_CACHE_DIR`` (default ``VAR_DIR/iiif-cache``) and
    ``IIIF_CACHE_MAX_MB`` (default 500)."""
    directory = Path(getattr(settings, "IIIF_CACHE_DIR", None) or settings.VAR_DIR / "iiif-cache")
    max_bytes = int(float(getattr(settings, "IIIF_CACHE_MAX_MB", 500)) * 1024 * 1024)
    key = (str(directory), max_bytes)
    with _caches_lock:
        if key not in _caches:
            _caches[key] = DerivativeCache(directory, max_bytes)
        return _caches[key]
