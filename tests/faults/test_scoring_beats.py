"""Two beat processes (and someone sending the task by hand) never make two nightly runs.

Two beats send the same nightly task at the same minute; a real worker with two
processes takes them at once. Only the call that claims the day's slot scores.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from targeting import tasks
from targeting.models import ScoringRun, WardScore
from tests.celery_worker import running_worker, wait_for
from tests.factories.targeting import hand_built_area, load_reference_data
from tests.faults.helpers import wait_until_idle

pytestmark = [pytest.mark.worker, pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def ward_score_ids_used() -> int:
    """How many ward score rows were ever inserted (each run deletes and inserts anew)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM targeting_wardscore_id_seq")
        last, called = cursor.fetchone()
    return last if called else last - 1


def test_two_beats_and_a_manual_send_of_the_nightly_task_make_one_scoring_run(tiny_force):
    load_reference_data()  # an earlier worker test may have emptied the database
    hand_built_area(tiny_force)
    ids_before = ward_score_ids_used()

    with running_worker(concurrency=2, queues=["default"]):
        for _sender in ("beat one", "beat two", "by hand"):
            tasks.scores_compute_latest.apply_async(queue=tasks.SCORES_QUEUE)
        wait_for(lambda: ScoringRun.objects.filter(status="succeeded").exists(), timeout=60)
        wait_until_idle("default")

    run = ScoringRun.objects.get()  # one row: the other two calls found the slot taken
    assert run.key == f"latest:{timezone.localdate().isoformat()}"
    assert (run.status, run.attempts) == ("succeeded", 1)
    # One run inserted the March ward scores, once: three runs would have used 3x the ids.
    wards = WardScore.objects.filter(period="2024-03-01")
    assert wards.count() == WardScore.objects.count() > 0
    assert ward_score_ids_used() - ids_before == wards.count()
