"""The search service: the one entry point for indexing and querying.

The embedded index is always written (it is cheap, and it is the fallback); Elasticsearch is
written too and answers queries when ``ELASTICSEARCH_URL`` is set. When the cluster cannot
be reached, queries are answered from the embedded index with ``degraded=True`` (the page
shows a notice) and a warning in the log, never an error page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from search import registry
from search.backends.base import Progress, SearchBackend, SearchUnavailable
from search.backends.embedded import EmbeddedBackend
from search.documents import SearchDocument
from search.query import SearchQuery, SearchResults, Suggestion
from visibility.channels import WEB, Channel

logger = logging.getLogger(__name__)


@cache
def embedded_backend() -> EmbeddedBackend:
    return EmbeddedBackend(
        settings.SEARCH_INDEX_DIR,
        settings.CONTENT_LANGUAGES,
        threads=settings.SEARCH_THREADS,
        facet_cache=settings.SEARCH_FACET_CACHE,
    )


@cache
def elasticsearch_backend() -> SearchBackend | None:
    if not settings.ELASTICSEARCH_URL:
        return None
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(
        settings.ELASTICSEARCH_URL,
        settings.ELASTICSEARCH_INDEX_PREFIX,
        settings.CONTENT_LANGUAGES,
    )


@receiver(setting_changed)
def _reset_backends(setting, **kwargs):
    if setting in {
        "SEARCH_INDEX_DIR",
        "SEARCH_THREADS",
        "SEARCH_FACET_CACHE",
        "ELASTICSEARCH_URL",
        "ELASTICSEARCH_INDEX_PREFIX",
        "CONTENT_LANGUAGES",
    }:
        embedded_backend.cache_clear()
        elasticsearch_backend.cache_clear()


def writing_backends() -> list[SearchBackend]:
    """Every backend that is kept up to date: the embedded one first."""
    return [b for b in (embedded_backend(), elasticsearch_backend()) if b is not None]


def documents(channel: Channel, kinds: Iterable[str] | None = None) -> Iterator[SearchDocument]:
    """Every registered source's documents for ``channel``."""
    for source in registry.sources():
        if kinds is None or source.kind in kinds:
            yield from source.documents(channel)


def expected_count(channel: Channel) -> int | None:
    counts = [source.count(channel) for source in registry.sources()]
    return None if any(c is None for c in counts) else sum(counts)


def update(kind: str, pks: Iterable) -> int:
    """Bring the documents of ``kind`` with ``pks`` up to date on every channel: what the
    source still yields is (re)indexed, the rest (unpublished, deleted) removed."""
    source = registry.get_source(kind)
    if source is None:
        logger.warning("No search source is registered for kind %r.", kind)
        return 0
    pks = [str(pk) for pk in pks]
    if not pks:
        return 0
    failures = []
    written = 0
    for channel in registry.channels():
        found = list(source.documents(channel, pks))
        missing = {f"{kind}:{pk}" for pk in pks} - {doc.id for doc in found}
        for backend in writing_backends():
            try:
                backend.update(channel, found, missing)
            except SearchUnavailable as error:
                logger.error(
                    "Search index %s of %s not updated (%s); run `manage.py "
                    "rebuild_search_index` once it is back.",
                    channel,
                    backend.name,
                    error,
                )
                failures.append(error)
        written += len(found)
    if failures:
        # The embedded index is up to date; the task still fails so the outage is visible.
        raise failures[0]
    return written


def rebuild(
    channels: Iterable[Channel] | None = None,
    progress: Progress | None = None,
    backends: Iterable[SearchBackend] | None = None,
) -> dict[str, int]:
    """Rebuild every channel's index from scratch; returns documents per channel key."""
    counts = {}
    for channel in channels or registry.channels():
        for backend in backends or writing_backends():
            counts[channel.key] = backend.rebuild(channel, documents(channel), progress)
    return counts


def search(query: SearchQuery, channel: Channel = WEB) -> SearchResults:
    """Answer ``query``; from the embedded index if Elasticsearch is down (``degraded``)."""
    backend = elasticsearch_backend()
    if backend is not None:
        try:
            return backend.search(channel, query)
        except SearchUnavailable as error:
            logger.warning(
                "Elasticsearch unavailable, answering from the embedded index: %s", error
            )
            results = embedded_backend().search(channel, query)
            results.degraded = True
            return results
    return embedded_backend().search(channel, query)


def suggest(text: str, language: str, channel: Channel = WEB, limit: int = 8) -> list[Suggestion]:
    backend = elasticsearch_backend()
    if backend is not None:
        try:
            return backend.suggest(channel, text, language, limit)
        except SearchUnavailable as error:
            logger.warning("Elasticsearch unavailable for suggestions: %s", error)
    return embedded_backend().suggest(channel, text, language, limit)
