"""Changes reach the index at once: a save, unpublish or delete queues an index update.

Handlers stay thin: they note which documents a change affects and, when the transaction
commits, queue one :func:`search.tasks.update_documents` task per kind and batch. Inside
:func:`deferred` (bulk imports) nothing is queued until the block ends.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager
from itertools import islice

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete

BATCH_SIZE = 500

_local = threading.local()
_deferred_lock = threading.Lock()
_deferred: dict[str, set] | None = None


def _pending() -> dict[str, set]:
    if not hasattr(_local, "pending"):
        _local.pending = defaultdict(set)
    return _local.pending


def queue(kind: str, pks) -> None:
    """Queue an index update of documents ``kind`` with ``pks`` after the transaction."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    global _deferred
    with _deferred_lock:
        if _deferred is not None:
            _deferred[kind] |= pks
            return
    _pending()[kind] |= pks
    # Registered on every change: a rolled-back transaction drops its callbacks, and the
    # first callback that runs takes everything pending (the others find nothing).
    transaction.on_commit(_flush)


def _flush() -> None:
    pending = _pending()
    batches = {kind: set(pks) for kind, pks in pending.items() if pks}
    pending.clear()
    if batches:
        _enqueue(batches)


def _enqueue(batches: dict[str, set]) -> None:
    from search.tasks import update_documents

    for kind, pks in batches.items():
        iterator = iter(sorted(pks, key=str))
        while batch := list(islice(iterator, BATCH_SIZE)):
            update_documents.enqueue(kind, batch)


@contextmanager
def deferred():
    """Collect index updates while the block runs and queue them in batches at its end.

    Process-wide, like the importer's pause of Wagtail's index handlers: for management
    commands, not for a threaded web process.
    """
    global _deferred
    with _deferred_lock:
        outer = _deferred is None
        if outer:
            _deferred = defaultdict(set)
    try:
        yield
    finally:
        if outer:
            with _deferred_lock:
                batches, _deferred = _deferred, None
            _enqueue(batches)


def _uid(source, model, signal: str) -> str:
    return f"search:{source.kind}:{model._meta.label}:{signal}"


def connect_source(source) -> None:
    """Connect the signals of every model the source's documents depend on."""
    for model, affected in source.dependencies().items():

        def on_save(sender, instance, raw=False, _affected=affected, **kwargs):
            if not raw:  # fixtures loading raw rows index afterwards, in one rebuild
                queue(source.kind, _affected(instance))

        def on_delete(sender, instance, _affected=affected, **kwargs):
            # Before the delete, while the relations that lead to the documents still exist.
            queue(source.kind, _affected(instance))

        post_save.connect(
            on_save, sender=model, weak=False, dispatch_uid=_uid(source, model, "save")
        )
        pre_delete.connect(
            on_delete, sender=model, weak=False, dispatch_uid=_uid(source, model, "delete")
        )
    for through, affected in source.m2m_dependencies().items():

        def on_m2m(sender, instance, action, pk_set, _affected=affected, **kwargs):
            if action in ("post_add", "post_remove", "pre_clear"):
                queue(source.kind, _affected(instance, action, pk_set or set()))

        m2m_changed.connect(
            on_m2m, sender=through, weak=False, dispatch_uid=_uid(source, through, "m2m")
        )


def disconnect_source(source) -> None:
    for model in source.dependencies():
        post_save.disconnect(sender=model, dispatch_uid=_uid(source, model, "save"))
        pre_delete.disconnect(sender=model, dispatch_uid=_uid(source, model, "delete"))
    for through in source.m2m_dependencies():
        m2m_changed.disconnect(sender=through, dispatch_uid=_uid(source, through, "m2m"))
