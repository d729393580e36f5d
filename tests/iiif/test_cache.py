"""The derivative cache: atomic writes, hits, least-recently-used eviction under a cap."""

import os
import time

import pytest

from collection.iiif.cache import DerivativeCache, cache_key, get_cache


def write(data: bytes):
    def writer(path):
        path.write_bytes(data)

    return writer


def test_put_and_get(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10_000)
    key = cache_key("1", "full/max/0/default.jpg", 123)
    assert cache.get(key, "jpg") is None
    path = cache.put(key, "jpg", write(b"jpeg"))
    assert path.read_bytes() == b"jpeg"
    assert cache.get(key, "jpg") == path
    assert not list(tmp_path.glob("*/.tmp-*"))


def test_a_failed_render_leaves_nothing_behind(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10_000)

    def broken(path):
        path.write_bytes(b"half")
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        cache.put(cache_key("x"), "png", broken)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_least_recently_used_files_are_evicted(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=3_000)
    keys = [cache_key(n) for n in range(3)]
    paths = [cache.put(key, "jpg", write(b"x" * 1_000)) for key in keys]
    now = time.time()
    for age, path in zip((300, 200, 100), paths, strict=True):
        os.utime(path, (now - age, now - age))
    cache.get(keys[0], "jpg")  # used just now: the oldest is now keys[1]
    cache.put(cache_key("new"), "jpg", write(b"x" * 1_000))
    assert cache.get(keys[0], "jpg") is not None
    assert cache.get(keys[1], "jpg") is None
    assert sum(p.stat().st_size for p in tmp_path.rglob("*.jpg")) <= 3_000


def test_stale_temporary_files_are_removed(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10)
    stale = tmp_path / "ab" / ".tmp-dead.jpg"
    stale.parent.mkdir()
    stale.write_bytes(b"left by a killed worker")
    os.utime(stale, (0, 0))
    cache.evict()
    assert not stale.exists()


def test_settings_choose_folder_and_cap(settings, tmp_path):
    settings.IIIF_CACHE_DIR = tmp_path / "c"
    settings.IIIF_CACHE_MAX_MB = 2
    cache = get_cache()
    assert (cache.directory, cache.max_bytes) == (tmp_path / "c", 2 * 1024 * 1024)
    del settings.IIIF_CACHE_DIR
    assert get_cache().directory == settings.VAR_DIR / "iiif-cache"
