"""Representativeness on the hand-built population of conftest.py, worked out by hand."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Member
from areas.models import Area
from targeting.insight import representativeness, stats
from targeting.insight.models import InsightSettings
from tests.factories.surveys import make_invitation, make_response

pytestmark = pytest.mark.django_db


def figures(area: Area, *, level: str = "supergroup", target: float = 0.7):
    return representativeness.representation(
        area=area, wards=Area.objects.filter(pk=area.pk), level=level, target=target
    )


def by_code(rep) -> dict:
    return {r.group.code: r for r in rep.rows}


def answer(members: list[Member], trust: int) -> None:
    for member in members:
        make_response(make_invitation(member), submitted_at=timezone.now(), scales={"trust": trust})


def test_coverage_ratios_are_each_groups_share_of_members_over_its_share_of_residents(
    members, population
):
    rows = by_code(figures(population["riverside"]))

    assert {code: round(r.members_ratio, 6) for code, r in rows.items()} == {
        "1": 1.2,
        "2": 1.0,
        "3": 0.5,
    }
    assert {code: r.population_share for code, r in rows.items()} == {"1": 0.5, "2": 0.3, "3": 0.2}
    assert {code: r.members for code, r in rows.items()} == {"1": 60, "2": 30, "3": 10}


def test_only_the_group_under_seventy_per_cent_of_its_share_is_below_target(members, population):
    rep = figures(population["riverside"])

    assert [r.group.code for r in rep.below_target] == ["3"]


def test_the_target_is_the_admins_setting(members, population):
    settings = InsightSettings.load()
    assert settings.representation_target == 0.7
    settings.representation_target = 1.1  # every group under 110% of its share
    settings.save()

    rep = figures(population["riverside"], target=InsightSettings.load().representation_target)

    assert [r.group.code for r in rep.below_target] == ["2", "3"]


def test_groups_roll_up_to_the_level_asked_for(members, population):
    rows = by_code(figures(population["riverside"], level="group"))

    assert set(rows) == {"1a", "2a", "3a"}
    assert round(rows["3a"].members_ratio, 6) == 0.5


def test_members_who_have_not_confirmed_their_address_do_not_count(members, population):
    from tests.factories.targeting import make_members

    make_members(population["postcodes"]["3"], 40, confirmed=False)

    assert round(by_code(figures(population["riverside"]))["3"].members_ratio, 6) == 0.5


def test_weighted_results_give_each_group_its_share_of_the_population(members, population):
    answer(members["1"][:20], trust=4)
    answer(members["2"][:10], trust=2)
    answer(members["3"][:10], trust=1)

    trust = next(w for w in figures(population["riverside"]).weighted if w.key == "trust")

    # Unweighted: (20 x 4 + 10 x 2 + 10 x 1) / 40. Weighted: 0.5 x 4 + 0.3 x 2 + 0.2 x 1.
    assert trust.unweighted == pytest.approx(2.75)
    assert trust.weighted == pytest.approx(2.8)
    assert trust.n == 40


def test_a_group_with_too_few_answers_drops_out_of_the_weighting(members, population):
    answer(members["1"][:20], trust=4)
    answer(members["2"][:10], trust=2)
    answer(members["3"][:5], trust=1)

    trust = next(w for w in figures(population["riverside"]).weighted if w.key == "trust")

    # Supergroup 3's five answers are left out; 1 and 2 weigh 0.5 / 0.8 and 0.3 / 0.8.
    assert trust.weighted == pytest.approx((0.5 * 4 + 0.3 * 2) / 0.8)
    assert trust.unweighted == pytest.approx((80 + 20 + 5) / 35)


def test_respondents_are_counted_once_each_against_the_population(members, population):
    answer(members["1"][:10], trust=3)
    answer(members["2"][:10], trust=3)
    answer(members["3"][:10], trust=3)

    rows = by_code(figures(population["riverside"]))

    # A third each, against 50%, 30% and 20% of residents.
    assert round(rows["1"].respondents_ratio, 6) == round((1 / 3) / 0.5, 6)
    assert rows["1"].respondents_below and not rows["3"].respondents_below


def test_a_small_group_hides_its_count_and_ratio_and_one_more_to_protect_it(population):
    from tests.factories.targeting import make_members

    make_members(population["postcodes"]["1"], 40)
    make_members(population["postcodes"]["2"], 30)
    make_members(population["postcodes"]["3"], 4)

    rows = by_code(figures(population["riverside"]))

    assert rows["3"].members is None and rows["3"].members_ratio is None
    # The total (74) is shown, so another group is hidden too: 74 - 40 would give 4 away.
    assert rows["2"].members is None
    assert rows["3"].members_below  # said from the true figures: "small", never how small


def test_the_ratio_arithmetic_matches_a_worked_example():
    rows = {r.group: r for r in stats.coverage_rows({"a": 50, "b": 50}, {"a": 9, "b": 1})}

    assert (rows["a"].ratio, rows["b"].ratio) == (pytest.approx(1.8), pytest.approx(0.2))
    assert rows["b"].below(0.7) and not rows["a"].below(0.7)


def test_a_supervisor_sees_a_link_to_start_a_set_up_for_each_group_below_target(
    people, members, population
):
    html = (
        people.client("district_supervisor")
        .get("/staff/insight/representation/?area=E05999901")
        .content.decode()
    )

    assert "/staff/setups/new/?group=3&amp;area=E05999901" in html
    assert html.count("Start a set-up for this group") == 1
