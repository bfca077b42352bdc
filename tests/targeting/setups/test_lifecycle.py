"""A set-up's lifecycle: every allowed and refused transition, archive, delete."""

from __future__ import annotations

import itertools

import pytest
from django.db.models import ProtectedError

from core.lifecycle import InvalidTransition, transition
from targeting.setups import services
from targeting.setups.models import SetUp, Visit
from tests.factories.setups import knock, make_setup

pytestmark = pytest.mark.django_db

S = SetUp.Status
ALLOWED = {(S.DRAFT, S.OPEN), (S.OPEN, S.CLOSED), (S.CLOSED, S.ARCHIVED), (S.CLOSED, S.OPEN)}
ALL_PAIRS = list(itertools.product(S.values, S.values))


@pytest.fixture
def setup(people, area):
    return make_setup(
        supervisor=people.district_supervisor,
        wards=[area["riverside"]],
        officers=[people.ward_officer],
        opened=False,
    )


def _put(setup: SetUp, status: str) -> SetUp:
    SetUp.objects.filter(pk=setup.pk).update(status=status)
    setup.refresh_from_db()
    return setup


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_each_allowed_transition_moves_the_set_up(setup, source, target):
    _put(setup, source)

    transition(setup, target)

    assert SetUp.objects.get(pk=setup.pk).status == target


@pytest.mark.parametrize(("source", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_each_other_transition_is_refused_and_changes_nothing(setup, source, target):
    _put(setup, source)

    with pytest.raises(InvalidTransition):
        transition(setup, target)

    assert SetUp.objects.get(pk=setup.pk).status == source


def test_an_open_set_up_closes_only_once_its_review_is_signed_off(setup, people):
    services.setup_open(setup=setup)

    with pytest.raises(services.SetUpRefused):
        services.setup_close(setup=setup)
    services.setup_sign_off(setup=setup, user=people.district_supervisor)
    services.setup_close(setup=setup)

    assert SetUp.objects.get(pk=setup.pk).status == S.CLOSED


def test_opening_a_closed_set_up_again_asks_for_a_new_sign_off(setup, people):
    services.setup_open(setup=setup)
    services.setup_sign_off(setup=setup, user=people.district_supervisor)
    services.setup_close(setup=setup)

    services.setup_open(setup=setup)

    setup.refresh_from_db()
    assert (setup.status, setup.signed_off_at) == (S.OPEN, None)


def test_visits_are_refused_unless_the_set_up_is_open(setup, people, area):
    with pytest.raises(services.SetUpRefused):
        knock(setup, area["streets"]["high"], people.ward_officer, "1")

    assert not Visit.objects.exists()


def test_a_set_up_with_visits_is_never_deleted(setup, people, area):
    services.setup_open(setup=setup)
    knock(setup, area["streets"]["high"], people.ward_officer, "12")
    _put(setup, S.DRAFT)  # even a draft (as if reopened by hand) keeps its visits

    with pytest.raises(services.SetUpRefused):
        services.setup_delete(setup=setup)
    with pytest.raises(ProtectedError):
        setup.delete()

    assert SetUp.objects.filter(pk=setup.pk).exists()


def test_a_draft_without_visits_can_be_deleted(setup):
    services.setup_delete(setup=setup)

    assert not SetUp.objects.filter(pk=setup.pk).exists()


def test_archiving_keeps_the_report_and_leaves_the_active_list(setup, people, area):
    services.setup_open(setup=setup)
    knock(setup, area["streets"]["high"], people.ward_officer, "3", Visit.Outcome.REGISTERED)
    knock(setup, area["streets"]["mill"], people.ward_officer, "5", Visit.Outcome.SURVEY)
    services.setup_sign_off(setup=setup, user=people.district_supervisor)
    services.setup_close(setup=setup)
    services.setup_archive(setup=setup)
    client = people.client("district_supervisor")

    report = client.get(f"/staff/setups/{setup.pk}/").content.decode()
    active = client.get("/staff/setups/").content.decode()
    archived = client.get("/staff/setups/?archived=1").content.decode()
    export = client.get(f"/staff/setups/{setup.pk}/visits.csv").content.decode()

    assert "<strong>2</strong> knocks" in report
    assert "<strong>1</strong> registered at the door" in report
    assert setup.name not in active and setup.name in archived
    assert "Registered now" in export and "Survey taken on the doorstep" in export
