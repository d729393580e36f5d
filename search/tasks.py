from django.core.management import call_command

from django_tasks import task


@task()
def update_search_index() -> None:
    """Bring the search index up to date with the database (e.g. after loading content)."""
    call_command("update_index", verbosity=0)
