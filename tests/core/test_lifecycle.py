"""Lifecycles as data: every allowed and refused change, races, and fields written with it."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import F
from django.template import Context, Template
from django.utils import timezone

from alerts.models import Delivery, Message
from core.lifecycle import (
    InvalidTransition,
    Lifecycle,
    transition,
    transition_pk,
    transition_where,
)
from targeting.models import ImportJob
from tests.factories.alerts import make_delivery, make_message
from tests.factories.members import make_member

# Worked out from what each object does, not read from the models' declarations.
IMPORT_JOB_MOVES = {
    ("draft", "running"),  # a worker claims it
    ("draft", "failed"),
    ("running", "succeeded"),
    ("running", "failed"),  # the file was bad, or the sweeper found its worker gone
}
MESSAGE_MOVES = {("draft", "sent")}
DELIVERY_MOVES = {
    ("pending", "sending"),  # the claim
    ("sending", "sent"),
    ("sending", "skipped"),
    ("sending", "failed"),  # out of attempts, or the sweeper
    ("sending", "pending"),  # a retry
}


def pairs(statuses) -> list[tuple[str, str]]:
    return list(itertools.product([s.value for s in statuses], repeat=2))


def make_job(status: str) -> ImportJob:
    job = ImportJob.objects.create()
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    return job


def status_in_db(obj) -> str:
    return type(obj).objects.values_list("status", flat=True).get(pk=obj.pk)


def make_message_in(status: str) -> Message:
    return make_message(status=status)


def make_delivery_in(status: str) -> Delivery:
    return make_delivery(member=make_member(email="lifecycle@example.test"), status=status)


CASES = [
    *[(make_job, s, t, (s, t) in IMPORT_JOB_MOVES) for s, t in pairs(ImportJob.Status)],
    *[(make_message_in, s, t, (s, t) in MESSAGE_MOVES) for s, t in pairs(Message.Status)],
    *[(make_delivery_in, s, t, (s, t) in DELIVERY_MOVES) for s, t in pairs(Delivery.Status)],
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "source", "target", "allowed"),
    CASES,
    ids=[f"{m.__name__.removeprefix('make_')}:{s}->{t}" for m, s, t, _allowed in CASES],
)
def test_a_status_changes_only_along_its_models_lifecycle(make, source, target, allowed):
    obj = make(source)

    if allowed:
        transition(obj, target)
        assert obj.status == target and status_in_db(obj) == target
    else:
        with pytest.raises(InvalidTransition):
            transition(obj, target)
        assert obj.status == source and status_in_db(obj) == source


@pytest.mark.django_db
def test_a_caller_holding_an_old_copy_loses_to_the_one_that_moved_first():
    job = make_job("draft")
    stale = ImportJob.objects.get(pk=job.pk)

    transition(job, "running", stage="first")

    with pytest.raises(InvalidTransition) as refused:
        transition(stale, "running", stage="second")
    assert refused.value.source is None and refused.value.target == "running"
    assert ImportJob.objects.get(pk=job.pk).stage == "first"


@pytest.mark.django_db
def test_a_claim_by_id_is_refused_once_the_row_has_moved_on():
    job = make_job("draft")

    transition_pk(ImportJob, job.pk, "running")

    with pytest.raises(InvalidTransition):
        transition_pk(ImportJob, job.pk, "running")


@pytest.mark.django_db
def test_moving_to_a_status_that_nothing_leads_to_is_refused_without_touching_rows():
    job = make_job("running")

    with pytest.raises(InvalidTransition):
        transition_pk(ImportJob, job.pk, "draft")
    with pytest.raises(InvalidTransition):
        transition_where(ImportJob.objects.all(), "draft")
    assert status_in_db(job) == "running"


@pytest.mark.django_db
def test_fields_given_with_a_change_are_written_in_the_same_update():
    job = make_job("running")
    finished = timezone.now()

    transition(job, "succeeded", finished_at=finished, summary={"imported": 3}, stage="")

    saved = ImportJob.objects.get(pk=job.pk)
    assert (saved.status, saved.finished_at, saved.summary) == (
        "succeeded",
        finished,
        {"imported": 3},
    )
    assert job.finished_at == finished and job.summary == {"imported": 3}


@pytest.mark.django_db
def test_fields_given_with_a_refused_change_are_not_written():
    job = make_job("succeeded")
    ImportJob.objects.filter(pk=job.pk).update(message="all good")
    stale = ImportJob.objects.get(pk=job.pk)
    stale.status = "running"  # what this caller last saw

    with pytest.raises(InvalidTransition):
        transition(stale, "failed", message="the worker stopped")

    assert ImportJob.objects.get(pk=job.pk).message == "all good"


@pytest.mark.django_db
def test_a_computed_field_is_read_back_after_the_change():
    delivery = make_delivery(member=make_member(email="computed@example.test"), attempts=2)

    transition(delivery, "sending", attempts=F("attempts") + 1)

    assert delivery.attempts == 3


@pytest.mark.django_db
def test_a_sweep_moves_only_the_rows_that_may_still_change():
    member = make_member(email="sweep@example.test")
    sending = make_delivery(member=member, status="sending", message=make_message())
    sent = make_delivery(member=member, status="sent", message=make_message())

    moved = transition_where(Delivery.objects.all(), "failed", error="swept")

    assert moved == 1
    assert status_in_db(sending) == "failed" and status_in_db(sent) == "sent"
    assert Delivery.objects.get(pk=sent.pk).error == ""


@pytest.mark.django_db(transaction=True)
def test_of_two_callers_racing_for_one_row_only_one_wins():
    job = ImportJob.objects.create()
    outcome: dict[str, object] = {}

    def second_caller() -> None:
        # Its own thread, so its own database connection.
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            transition_pk(ImportJob, job.pk, "running", stage="second")
            outcome["second"] = "won"
        except InvalidTransition:
            outcome["second"] = "lost"
        finally:
            connection.close()

    with transaction.atomic():
        transition_pk(ImportJob, job.pk, "running", stage="first")
        other = threading.Thread(target=second_caller)
        other.start()
        # Commit only once the second caller's UPDATE is waiting on this row's lock.
        with connection.cursor() as cursor:
            for _attempt in range(500):
                if "pid" in outcome:
                    cursor.execute("SELECT pg_blocking_pids(%s)", [outcome["pid"]])
                    if cursor.fetchone()[0]:
                        break
                time.sleep(0.01)
            else:
                pytest.fail("the second caller never reached the row")
    other.join(timeout=10)

    assert outcome["second"] == "lost"
    assert ImportJob.objects.get(pk=job.pk).stage == "first"


# --- Declarations --------------------------------------------------------------------------


class SetUp(Lifecycle):
    """The shape targeted set-ups will have (not a model: only the declaration)."""

    TRANSITIONS = {
        "draft": {"open"},
        "open": {"closed"},
        "closed": {"archived", "open"},
        "archived": set(),
    }
    FINAL = {"archived"}

    def __init__(self, status: str) -> None:
        self.status = status


def test_a_lifecycle_answers_what_may_follow_for_forms_and_templates():
    closed = SetUp("closed")

    assert closed.can_become("archived") and not closed.can_become("draft")
    assert closed.next_statuses == {"archived", "open"}
    assert SetUp("archived").is_final and not closed.is_final
    assert SetUp.sources_of("open") == {"draft", "closed"}
    page = Template('{% if "archived" in setup.next_statuses %}Archive{% endif %}')
    assert page.render(Context({"setup": closed})) == "Archive"
    assert page.render(Context({"setup": SetUp("open")})) == ""


def test_a_lifecycle_leading_to_an_undeclared_status_is_refused_when_declared():
    with pytest.raises(TypeError, match="undeclared"):

        class Broken(Lifecycle):
            TRANSITIONS = {"draft": {"sent"}}
            FINAL = set()


def test_a_dead_end_not_declared_final_is_refused():
    with pytest.raises(TypeError, match="dead end"):

        class Broken(Lifecycle):
            TRANSITIONS = {"draft": {"sent"}, "sent": set()}
            FINAL = set()


def test_a_final_status_with_statuses_after_it_is_refused():
    with pytest.raises(TypeError, match="is final"):

        class Broken(Lifecycle):
            TRANSITIONS = {"draft": {"sent"}, "sent": {"draft"}}
            FINAL = {"sent"}


LIFECYCLE_MODELS = [m for m in apps.get_models() if issubclass(m, Lifecycle)]


def test_import_jobs_messages_and_deliveries_declare_their_lifecycles():
    assert {ImportJob, Message, Delivery} <= set(LIFECYCLE_MODELS)


@pytest.mark.parametrize("model", LIFECYCLE_MODELS, ids=lambda m: m._meta.label)
def test_every_lifecycle_model_declares_exactly_its_status_choices(model):
    choices = {value for value, _label in model._meta.get_field(model.STATUS_FIELD).choices}

    assert set(model.TRANSITIONS) == choices
    assert model._meta.get_field(model.STATUS_FIELD).default in choices - model.FINAL
