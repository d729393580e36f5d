"""Where domains declare what is searchable; ``search`` indexes whatever is registered.

A domain app subclasses :class:`SearchSource` and registers an instance from its
``AppConfig.ready()``::

    class VoiceSearch(SearchSource):
        kind = "voice"
        label = _("Voice")

        def documents(self, channel, pks=None):
            voices = Voice.objects.visible_in(channel)
            ...  # yield SearchDocument(kind="voice", pk=str(voice.pk), ...)

        def dependencies(self):
            return {Voice: lambda voice: [voice.pk], Consent: lambda c: [c.voice_id]}

    search.registry.register(VoiceSearch())

``search`` connects the signals of every model named in :meth:`SearchSource.dependencies`
and, after the transaction commits, asks the source again for the affected documents: what
it yields is (re)indexed, what it no longer yields (unpublished, withdrawn, deleted) is
removed. Channels other than ``WEB`` (each venue's kiosks) come from channel providers, see
:func:`register_channels`. ``search`` itself imports no domain model.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator

from django.db import models

from search.documents import SearchDocument
from visibility.channels import WEB, Channel

_sources: dict[str, SearchSource] = {}
_channel_providers: list[Callable[[], Iterable[Channel]]] = []


class SearchSource(abc.ABC):
    """One kind of searchable document (objects, voices, events, pages)."""

    kind: str = ""
    label = ""  # singular, translatable, shown as the "kind" facet value

    @abc.abstractmethod
    def documents(self, channel: Channel, pks: Iterable | None = None) -> Iterator[SearchDocument]:
        """The documents ``channel`` may show (only ``pks`` when given); build them from
        ``Model.objects.visible_in(channel)`` and an explicit allow-list of fields."""

    def dependencies(self) -> dict[type[models.Model], Callable[[models.Model], Iterable]]:
        """Models whose changes affect documents, each with a function from a changed
        instance to the primary keys of the affected documents."""
        return {}

    def m2m_dependencies(
        self,
    ) -> dict[type[models.Model], Callable[[models.Model, str, set], Iterable]]:
        """Many-to-many ``through`` models, each with a function from (instance, action,
        pk_set) of an ``m2m_changed`` signal to the affected documents' primary keys."""
        return {}

    def count(self, channel: Channel) -> int | None:
        """How many documents :meth:`documents` yields (for progress bars), if cheap."""
        return None


def register(source: SearchSource) -> SearchSource:
    """Make ``source`` searchable; call it from the domain app's ``AppConfig.ready()``."""
    if not source.kind or ":" in source.kind:
        raise ValueError("A search source needs a kind without ':' (e.g. 'object').")
    existing = _sources.get(source.kind)
    if existing is not None and type(existing) is not type(source):
        raise ValueError(f"Another search source is registered for kind {source.kind!r}.")
    _sources[source.kind] = source
    from search import signal_handlers

    signal_handlers.connect_source(source)
    return source


def unregister(kind: str) -> None:
    """Remove a source (tests)."""
    source = _sources.pop(kind, None)
    if source is not None:
        from search import signal_handlers

        signal_handlers.disconnect_source(source)


def sources() -> list[SearchSource]:
    return list(_sources.values())


def get_source(kind: str) -> SearchSource | None:
    return _sources.get(kind)


def register_channels(provider: Callable[[], Iterable[Channel]]) -> None:
    """Add channels beyond ``WEB`` to index, e.g. ``lambda: [VENUE(v) for v in venues]``
    from the exhibition app; each channel gets its own index."""
    if provider not in _channel_providers:
        _channel_providers.append(provider)


def channels() -> list[Channel]:
    """Every channel with an index: ``WEB`` first, then what providers add."""
    found = [WEB]
    for provider in _channel_providers:
        for channel in provider():
            if channel not in found:
                found.append(channel)
    return found
