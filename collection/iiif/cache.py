"""A size-capped disk cache of rendered IIIF images, shared by every worker on a machine.

Files are written to a temporary name and moved into place with ``os.replace``, so a reader
sees a whole file or none. A hit touches the file's modification time, and eviction deletes
the least recently used files once the folder passes its cap. Eviction scans the folder, so
it runs after every ~1% of the cap written by this process rather than after every write;
the folder may overshoot the cap by about that much per worker in between.

The folder lies outside ``MEDIA_ROOT`` on purpose: a derivative of an image that has since
been withdrawn must not stay reachable as a static file.
"""

import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# A temporary file older than this belongs to a worker that died mid-render.
STALE_TEMP_SECONDS = 3600
# Evicting down to below the cap leaves room, so the next writes do not evict at once.
EVICT_TO = 0.9


def cache_key(*parts: object) -> str:
    """A stable hex key for the given parts (identifier, request, file version…)."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


class DerivativeCache:
    """Rendered images on disk under ``directory``, at most about ``max_bytes`` in total."""

    def __init__(self, directory: Path, max_bytes: int):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._written_since_scan: int | None = None  # None: never scanned by this process

    def path_for(self, key: str, suffix: str) -> Path:
        """Where the file for ``key`` lives (two-level fan-out keeps folders small)."""
        return self.directory / key[:2] / f"{key}.{suffix}"

    def get(self, key: str, suffix: str) -> Path | None:
        """The cached file for ``key``, marked as just used, or None."""
        path = self.path_for(key, suffix)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        return path

    def put(self, key: str, suffix: str, write: Callable[[Path], None]) -> Path:
        """Create the file for ``key`` by calling ``write(temporary_path)``; return its path."""
        path = self.path_for(key, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        # The suffix stays last so that writers choosing a format by name still can.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=f".{suffix}")
        os.close(handle)
        try:
            write(Path(temporary))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._written(path.stat().st_size)
        return path

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
        for folder in self._folders():
            for entry in os.scandir(folder):
                try:
                    stat = entry.stat()
                except FileNotFoundError:  # another worker evicted it meanwhile
                    continue
                if entry.name.startswith(".tmp-"):
                    if now - stat.st_mtime > STALE_TEMP_SECONDS:
                        Path(entry.path).unlink(missing_ok=True)
                    continue
                entries.append((stat.st_mtime, stat.st_size, entry.path))
                total += stat.st_size
        if total <= self.max_bytes:
            return 0
        removed = 0
        target = self.max_bytes * EVICT_TO
        for _mtime, size, path in sorted(entries):
            if total <= target:
                break
            Path(path).unlink(missing_ok=True)
            total -= size
            removed += 1
        logger.info("IIIF cache: evicted %d files, %d bytes left", removed, total)
        return removed

    def _folders(self):
        if not self.directory.is_dir():
            return []
        return [entry.path for entry in os.scandir(self.directory) if entry.is_dir()]


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
