from django.core.management import call_command

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from search.tasks import update_search_index

pytestmark = pytest.mark.django_db


def test_tests_run_tasks_immediately(home_page):
    result = update_search_index.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL


# The worker closes its database connection when it is done, so it cannot run inside the
# test's transaction; serialized_rollback restores the migrations' data afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_backend_queues_and_the_worker_runs_it(settings, home_page):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = update_search_index.enqueue()
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.SUCCESSFUL
