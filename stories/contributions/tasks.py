"""Background work of the debate arena (Django's tasks framework)."""

from django_tasks import task


@task()
def purge_stale_contributions() -> dict:
    """Delete pending and rejected contributions past the retention period; meant to be
    enqueued daily (or run as ``manage.py purge_contributions`` from cron)."""
    from stories.contributions.actions import purge_stale

    return purge_stale()
