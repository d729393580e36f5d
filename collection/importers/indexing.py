"""Search and reference indexes after an import: a task per batch instead of one per save.

Every save of an object or vocabulary term normally queues a search-index task and a
reference-index task. For a 20,000-row import that is 60,000 queued tasks, most of the
import's time and hours of worker time afterwards. The importer pauses those signal
handlers while it writes and queues one task per batch of the objects it wrote.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save

from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from django_tasks import task
from modelsearch.index import class_is_indexed
from modelsearch.signal_handlers import post_save_signal_handler

from search.signal_handlers import deferred as deferred_search_updates

INDEX_BATCH_SIZE = 500


@contextmanager
def deferred_indexing(models: Iterable[type]):
    """Pause the per-save index tasks of ``models`` (and all reference-index updates).

    Signals are process-wide: meant for a management command, not for a threaded web
    process, where other requests' saves would go unindexed meanwhile.
    """
    paused = [
        model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        # The public search index batches its own updates (search.signal_handlers).
        with disable_reference_index_auto_update(), deferred_search_updates():
            yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


def queue_index_updates(written: dict[type, set[int]]) -> int:
    """Queue index updates for the written rows, a batch per task; returns the task count."""
    count = 0
    for model, pks in written.items():
        iterator = iter(sorted(pks))
        while batch := list(islice(iterator, INDEX_BATCH_SIZE)):
            update_indexes.enqueue(model._meta.app_label, model._meta.model_name, batch)
            count += 1
    return count


@task()
def update_indexes(app_label: str, model_name: str, pks: list[int]) -> None:
    """Bring the search and reference indexes up to date for these rows of one model."""
    model = apps.get_model(app_label, model_name)
    if class_is_indexed(model):
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, objects)
    if ReferenceIndex.is_indexed(model):
        with transaction.atomic():
            for obj in model.objects.filter(pk__in=pks):
                ReferenceIndex.create_or_update_for_object(obj)
