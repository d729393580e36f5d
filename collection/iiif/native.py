"""How the native image libraries use memory in every process (CollectionConfig.ready).

libvips renders images in a pool of threads, and glibc gives each thread a malloc arena of
its own, whose freed memory stays with the process: a worker that rendered one large image
would keep that memory once per thread. At most two arenas, and libvips' operation cache
off, keep a web worker serving a 600-megapixel master under the image server's 300 MB budget
and the pyramid build near it (``make bench``). Image requests seldom repeat an operation (a
repeated image is a cached file), so the operation cache would only hold on to pixels (up to
100 MB by default) and keep masters open.
"""

import ctypes
import ctypes.util
import os

import pyvips

MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # glibc's malloc.h


def configure() -> None:
    """Turn libvips' operation cache off and cap glibc's malloc arenas (unless the
    operator set ``MALLOC_ARENA_MAX``; C libraries other than glibc are left alone)."""
    pyvips.cache_set_max(0)
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
