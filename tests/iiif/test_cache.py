"""The derivative cache: URL-shaped paths, atomic writes, aliases, purge, LRU eviction."""

import os
import time

import pytest

from collection.iiif.cache import DerivativeCache, cacheable, get_cache

NAME = "full/max/0/default.jpg"


def write(data: bytes):
    def writer(path):
        path.write_bytes(data)

    return writer


def test_put_and_get_at_the_canonical_url_path(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10_000)
    assert cache.get("7", NAME) is None
    path = cache.put("7", NAME, write(b"jpeg"))
    # The path nginx computes from /iiif/3/7/full/max/0/default.jpg.
    assert path == tmp_path / "7" / "full_max_0_default.jpg"
    assert path.read_bytes() == b"jpeg"
    found, stat = cache.get("7", NAME)
    assert found == path and stat.st_size == 4
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert not list(tmp_path.rglob(".tmp-*"))


def test_a_hit_keeps_the_modification_time(tmp_path):
    """The modification time is the file's version: ETag and Last-Modified come from it."""
    cache = DerivativeCache(tmp_path, max_bytes=10_000)
    path = cache.put("7", NAME, write(b"jpeg"))
    os.utime(path, (1000, 1000))
    cache.get("7", NAME)
    assert path.stat().st_mtime == 1000
    assert path.stat().st_atime > 1000


def test_aliases_are_links_to_the_same_file(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10_000)
    path = cache.put(
        "7", "0,0,256,256/max/0/default.jpg", write(b"t"), ["0,0,256,256/256,256/0/default.jpg"]
    )
    alias = tmp_path / "7" / "0,0,256,256_256,256_0_default.jpg"
    assert alias.read_bytes() == b"t"
    assert os.path.samefile(alias, path)


def test_a_failed_render_leaves_nothing_behind(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10_000)

    def broken(path):
        path.write_bytes(b"half")
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        cache.put("3", "full/max/0/default.png", broken)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_purge_removes_one_identifier_only(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10_000)
    cache.put("1", NAME, write(b"a"), ["full/1000,/0/default.jpg"])
    cache.put("1", "full/10,/0/gray.png", write(b"b"))
    kept = cache.put("2", NAME, write(b"c"))
    assert sorted(cache.identifiers()) == ["1", "2"]
    assert cache.purge("1") == 3
    assert cache.get("1", NAME) is None
    assert not (tmp_path / "1").exists()
    assert kept.exists() and cache.identifiers() == ["2"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert cache.purge("1") == 0  # nothing left: no error


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (NAME, True),
        ("pct:10,10,10,10/!256,256/!90/bitonal.png", True),
        ("full/max/0." + "0" * 200 + "1/default.jpg", False),
        ("full/max/0/default_x.jpg", False),
        ("../max/0/default.jpg", False),
    ],
)
def test_cacheable(name, expected):
    assert cacheable("5", name) is expected


def test_least_recently_used_files_are_evicted(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=3_000)
    names = [f"full/{n + 10},/0/default.jpg" for n in range(3)]
    paths = [cache.put("1", name, write(b"x" * 1_000)) for name in names]
    now = time.time()
    for age, path in zip((300, 200, 100), paths, strict=True):
        os.utime(path, (now - age, now - age))
    cache.get("1", names[0])  # used just now: the oldest is now names[1]
    cache.put("1", "full/99,/0/default.jpg", write(b"x" * 1_000))
    assert cache.get("1", names[0]) is not None
    assert cache.get("1", names[1]) is None
    assert sum(p.stat().st_size for p in tmp_path.rglob("*.jpg")) <= 3_000


def test_stale_temporary_files_are_removed(tmp_path):
    cache = DerivativeCache(tmp_path, max_bytes=10)
    stale = tmp_path / "4" / ".tmp-dead.jpg"
    stale.parent.mkdir(parents=True)
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


def test_asked_before_tells_a_second_request_and_forgets_the_oldest(tmp_path, monkeypatch):
    monkeypatch.setattr("collection.iiif.cache.ASKED_MEMORY", 3)
    cache = DerivativeCache(tmp_path, 10_000)
    assert cache.asked_before("1", NAME) is False
    assert cache.asked_before("1", NAME) is True
    assert cache.asked_before("2", NAME) is False  # per identifier
    for other in ("3", "4", "5"):
        cache.asked_before(other, NAME)
    assert cache.asked_before("1", NAME) is False  # pushed out by three newer requests
