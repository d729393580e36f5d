import ctypes
import ctypes.util
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")


def _limit_malloc_arenas(arenas: int = 2) -> None:
    """Let glibc keep at most ``arenas`` malloc arenas in this process.

    libvips renders images in a pool of threads, and glibc gives each thread an arena of
    its own, whose freed memory stays with the process: a worker that rendered one large
    image would keep that memory per thread. Two arenas keep a worker's peak under the
    image server's 300 MB budget (``make bench``). An operator's own ``MALLOC_ARENA_MAX``
    wins; other C libraries than glibc are left alone.
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return
    m_arena_max = -8  # glibc's malloc.h
    mallopt(m_arena_max, arenas)


_limit_malloc_arenas()

application = get_wsgi_application()

# IIIF tiles and info.json skip the site's middleware (collection/iiif/wsgi.py).
from collection.iiif.wsgi import IIIFShortPath  # noqa: E402

application = IIIFShortPath(application)
