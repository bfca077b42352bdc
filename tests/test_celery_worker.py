"""The real-worker test harness works: a task sent from a test runs in another process."""

import pytest

from accounts.models import CommunityGroup
from config.celery import app
from tests.celery_worker import running_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@app.task(name="tests.rename_group")
def rename_group(pk: int, name: str) -> None:
    CommunityGroup.objects.filter(pk=pk).update(name=name)


def test_a_task_runs_in_the_real_worker_against_the_test_database():
    group = CommunityGroup.objects.create(slug="probe", name="before")

    with running_worker(concurrency=1, include=(__name__,)):
        rename_group.delay(group.pk, "renamed by the worker")
        wait_for(lambda: CommunityGroup.objects.get(pk=group.pk).name == "renamed by the worker")
