"""Background work of the search service (Django's tasks framework)."""

from django.core.management import call_command

from django_tasks import task


@task()
def update_documents(kind: str, pks: list) -> int:
    """Re-index (or remove) the documents of ``kind`` with ``pks`` on every channel."""
    from search import service

    return service.update(kind, pks)


@task()
def rebuild_search_index() -> dict:
    """Rebuild every channel's index from what the registered sources select now."""
    from search import service

    return service.rebuild()


@task()
def update_search_index() -> None:
    """Bring every index up to date after content was loaded: Wagtail's own (admin search)
    and this service's (the public search)."""
    from search import service

    call_command("update_index", verbosity=0)
    service.rebuild()
