"""The work list and the doors: priority order, revisit choice, hidden doors, taken streets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Member
from targeting.scoring import compute_scores
from targeting.setups import selectors
from targeting.setups.models import SetUp, SetUpStreet, Visit
from tests.factories.setups import knock, make_setup

pytestmark = pytest.mark.django_db
Outcome = Visit.Outcome


@pytest.fixture
def scored(area):
    compute_scores(forces=[area["force"]])
    return area


def _setup(people, area, **kwargs) -> SetUp:
    return make_setup(
        supervisor=people.district_supervisor,
        wards=[area["riverside"]],
        officers=[people.ward_officer, people.district_supervisor],
        **kwargs,
    )


def test_the_streets_come_in_the_order_of_their_scores(people, scored):
    setup = _setup(people, scored)

    rows = selectors.work_list(setup, user=people.ward_officer)

    scores = [r.setup_street.score for r in rows]
    assert rows[0].street.name == "High Street"
    assert scores == sorted(scores, reverse=True)
    assert "Hill Road" not in {r.street.name for r in rows}  # another ward


def _fill_quiet_close(area, households: int, setup: SetUp) -> None:
    """Quiet Close: its 8 members registered, ``households`` homes."""
    Member.objects.filter(postcode__code="ZZ1 1AB").update(street=area["streets"]["quiet"])
    SetUpStreet.objects.filter(setup=setup, street=area["streets"]["quiet"]).update(
        households=households
    )


def test_without_revisits_a_street_whose_homes_are_all_registered_leaves_the_list(people, scored):
    setup = _setup(people, scored, revisit_members=False)
    _fill_quiet_close(scored, 8, setup)

    names = [r.street.name for r in selectors.work_list(setup, user=people.ward_officer)]

    assert "Quiet Close" not in names and "High Street" in names


def test_with_revisits_every_home_stays_on_the_list(people, scored):
    setup = _setup(people, scored, revisit_members=True)
    _fill_quiet_close(scored, 8, setup)

    rows = {r.street.name: r for r in selectors.work_list(setup, user=people.ward_officer)}

    assert rows["Quiet Close"].to_knock == 8
    assert rows["Quiet Close"].members == 8


def test_without_revisits_the_registered_homes_come_off_the_homes_to_knock(people, scored):
    setup = _setup(people, scored, revisit_members=False)
    _fill_quiet_close(scored, 20, setup)

    rows = {r.street.name: r for r in selectors.work_list(setup, user=people.ward_officer)}

    assert rows["Quiet Close"].to_knock == 12


@pytest.mark.parametrize(("revisit", "hidden"), [(False, True), (True, False)])
def test_a_door_already_a_member_is_hidden_only_without_revisits(people, area, revisit, hidden):
    setup = _setup(people, area, revisit_members=revisit)
    knock(setup, area["streets"]["high"], people.ward_officer, "4", Outcome.MEMBER)

    (door,) = selectors.doors(setup, area["streets"]["high"])

    assert door.hidden is hidden


def test_a_door_not_in_is_hidden_for_the_rest_of_the_day_and_back_the_next(people, area):
    setup = _setup(people, area)
    street = area["streets"]["high"]
    knock(setup, street, people.ward_officer, "7", Outcome.NOT_IN)
    tomorrow = timezone.now() + timedelta(days=1)

    (today_door,) = selectors.doors(setup, street)
    (next_day_door,) = selectors.doors(setup, street, now=tomorrow)

    assert today_door.hidden and not next_day_door.hidden


@pytest.mark.parametrize("outcome", [Outcome.DECLINED, Outcome.DO_NOT_KNOCK])
def test_declined_and_do_not_knock_doors_stay_hidden_the_next_day(people, area, outcome):
    setup = _setup(people, area)
    knock(setup, area["streets"]["high"], people.ward_officer, "9", outcome)

    (door,) = selectors.doors(setup, area["streets"]["high"], now=timezone.now() + timedelta(2))

    assert door.hidden


def test_a_door_asked_not_to_be_knocked_stays_hidden_in_another_set_up(people, area):
    first = _setup(people, area)
    second = _setup(people, area, name="Second")
    knock(first, area["streets"]["high"], people.ward_officer, "9", Outcome.DO_NOT_KNOCK)

    (door,) = selectors.doors(second, area["streets"]["high"])

    assert door.hidden


def test_hidden_doors_are_shown_only_with_the_switch(people, area):
    setup = _setup(people, area)
    street = area["streets"]["high"]
    knock(setup, street, people.ward_officer, "11", Outcome.DECLINED)
    knock(setup, street, people.ward_officer, "13", Outcome.SURVEY)
    client = people.client("ward_officer")
    url = f"/staff/doorstep/{setup.pk}/street/{street.pk}/"

    plain = client.get(url).content.decode()
    shown = client.get(url + "?hidden=1").content.decode()

    assert "<strong>13</strong>" in plain and "<strong>11</strong>" not in plain
    assert "<strong>11</strong>" in shown and "Show hidden" in plain


def test_a_street_a_colleague_knocked_today_is_taken_for_the_day(people, area):
    setup = _setup(people, area)
    knock(setup, area["streets"]["mill"], people.district_supervisor, "2", Outcome.NOT_IN)

    mine = {r.street.name: r for r in selectors.work_list(setup, user=people.ward_officer)}
    theirs = {r.street.name: r for r in selectors.work_list(setup, user=people.district_supervisor)}
    tomorrow = {
        r.street.name: r
        for r in selectors.work_list(
            setup, user=people.ward_officer, now=timezone.now() + timedelta(days=1)
        )
    }

    assert mine["Mill Lane"].taken_by == people.district_supervisor.name
    assert theirs["Mill Lane"].taken_by == "" and tomorrow["Mill Lane"].taken_by == ""


def test_the_work_list_reads_the_same_few_queries_however_many_streets(
    people, area, django_assert_max_num_queries
):
    setup = _setup(people, area)
    for street in ("high", "mill", "quiet"):
        knock(setup, area["streets"][street], people.district_supervisor, "1", Outcome.NOT_IN)

    with django_assert_max_num_queries(6):
        rows = selectors.work_list(setup, user=people.ward_officer)

    assert [r.hidden for r in rows] == [1, 1, 1]
