"""Native memory settings applied in every process (collection.iiif.native)."""

import pyvips

from collection.iiif import native


def test_the_operation_cache_is_off_once_django_is_set_up():
    assert pyvips.cache_get_max() == 0


def test_malloc_arenas_are_capped_unless_the_operator_chose(monkeypatch):
    calls = []

    class FakeLibc:
        def mallopt(self, option, value):
            calls.append((option, value))
            return 1

    monkeypatch.setattr(native.ctypes, "CDLL", lambda name: FakeLibc())
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    native.configure()
    assert calls == [(-8, native.MALLOC_ARENAS)]
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    native.configure()
    assert calls == [(-8, native.MALLOC_ARENAS)]  # not called again


def test_a_c_library_without_mallopt_is_left_alone(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.setattr(native.ctypes, "CDLL", lambda name: object())
    native.configure()  # no AttributeError
    assert pyvips.cache_get_max() == 0
