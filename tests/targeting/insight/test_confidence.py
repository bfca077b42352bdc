"""Confidence, feeling safe and crime per ward: a constructed outlier and a ward that is not.

Six wards of North Town, each of 1,000 residents, with 10 to 60 crimes in the quarter's
first month. Feeling safe falls along a straight line with crime (4.6, 4.3, ..., 3.1)
except in Ward 3, where people feel far less safe (2.0) than its crime would suggest:
the least-squares line through the six points leaves Ward 3 1.8 residual standard
errors below it, every other ward within 0.6.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from areas.models import Area
from surveys.models import Answer, Invitation, Question, Response
from targeting.insight import confidence, stats
from tests.conftest import square
from tests.factories.surveys import round_at, version
from tests.factories.targeting import (
    add_crimes,
    make_map_point,
    make_members,
    make_output_area,
    make_postcode,
    make_street,
    rectangle,
)

pytestmark = pytest.mark.django_db
_cycles = itertools.count(10_000)
SAFETY = {1: 4.6, 2: 4.3, 3: 2.0, 4: 3.7, 5: 3.4, 6: 3.1}
LESS_SAFE = "People here feel less safe than the recorded crime would suggest."


def respond(ward: Area, round_, scales: dict[str, int], *, member=None) -> None:
    v = version()
    questions = {q.key: q for q in Question.objects.filter(version=v)}
    invitation = Invitation.objects.create(
        member=member, cycle=next(_cycles), round=round_, version=v, ward=ward,
        due_at=round_.starts_on, closes_at="2100-01-01T00:00Z",
    )  # fmt: skip
    response = Response.objects.create(
        invitation=invitation, member=member, version=v, round=round_, ward=ward,
        submitted_at="2024-01-15T12:00Z",
    )  # fmt: skip
    for key, value in scales.items():
        Answer.objects.create(response=response, question=questions[key], scale_value=value)


def respond_with_mean(ward: Area, round_, *, safety: float, confidence_: float) -> None:
    """Ten respondents whose feeling safe and confidence have exactly these means."""
    for i in range(10):
        safe = int(safety) + (1 if i < round((safety - int(safety)) * 10) else 0)
        conf = int(confidence_) + (1 if i < round((confidence_ - int(confidence_)) * 10) else 0)
        respond(ward, round_, {"safe_day": safe, "safe_dark": safe, "confidence": conf})


@pytest.fixture
def six_wards(tiny_force):
    north = tiny_force["north"]
    round_ = round_at(2024, 1)
    wards = {}
    for i in range(1, 7):
        x = 200_000 + 1000 * i
        ward = Area.objects.create(
            code=f"E0599980{i}", name=f"Ward {i}", level=Area.Level.WARD, parent=north,
            boundary=square(x, 200_000),
        )  # fmt: skip
        make_output_area(
            f"E00999{800 + i}", ward, rectangle(x, 200_000, x + 1000, 201_000),
            households=400, residents=1000,
        )  # fmt: skip
        point = make_map_point(make_street(ward, f"Road {i}", (x + 500, 200_500)))
        add_crimes(point, date(2024, 1, 1), {"anti-social-behaviour": 10 * i})
        respond_with_mean(ward, round_, safety=SAFETY[i], confidence_=SAFETY[i] - 0.5)
        wards[i] = ward
    return {"wards": wards, "round": round_, "north": north}


def compare(six_wards):
    qs = Area.objects.filter(pk__in=[w.pk for w in six_wards["wards"].values()])
    rows = confidence.comparison(wards=qs, round_=six_wards["round"]).rows
    return {r.ward.name: r for r in rows}


def test_the_ward_that_feels_less_safe_than_its_crime_suggests_is_flagged_in_words(six_wards):
    rows = compare(six_wards)

    assert rows["Ward 3"].flags == [LESS_SAFE]


def test_a_ward_on_the_line_is_not_flagged(six_wards):
    rows = compare(six_wards)

    assert rows["Ward 4"].flags == []
    assert [name for name, r in rows.items() if r.flags] == ["Ward 3"]


def test_each_ward_has_its_means_and_crime_per_thousand_residents(six_wards):
    rows = compare(six_wards)

    assert rows["Ward 2"].crime_rate == pytest.approx(20.0)
    assert rows["Ward 2"].safety == pytest.approx(4.3)
    assert rows["Ward 2"].confidence == pytest.approx(3.8)
    assert rows["Ward 2"].respondents == 10


def test_the_fit_is_ordinary_least_squares_worked_by_hand():
    fit = stats.fit_line([(0, 1), (1, 3), (2, 5), (3, 7.5)])

    # Mean x 1.5, mean y 4.125; Sxy = 10.75, Sxx = 5.
    assert fit.slope == pytest.approx(2.15)
    assert fit.intercept == pytest.approx(4.125 - 2.15 * 1.5)


def test_confidence_change_is_given_overall_and_among_the_same_people(tiny_force):
    riverside = tiny_force["riverside"]
    before, now = round_at(2023, 4), round_at(2024, 1)
    people = make_members(make_postcode("ZZ7 1AA", riverside, 100_100, 101_100), 10)
    for member in people:
        respond(riverside, before, {"confidence": 2}, member=member)
        respond(riverside, now, {"confidence": 3}, member=member)
    for _ in range(10):
        respond(riverside, now, {"confidence": 5})

    row = confidence.comparison(
        wards=Area.objects.filter(pk=riverside.pk), round_=now, previous=before
    ).rows[0]

    assert row.confidence_change == pytest.approx(2.0)  # (10 x 3 + 10 x 5) / 20 - 2
    assert row.confidence_change_same == pytest.approx(1.0)


def test_the_same_people_change_is_hidden_with_fewer_than_ten_of_them(tiny_force):
    riverside = tiny_force["riverside"]
    before, now = round_at(2023, 4), round_at(2024, 1)
    people = make_members(make_postcode("ZZ7 1AB", riverside, 100_100, 101_100), 9)
    for member in people:
        respond(riverside, before, {"confidence": 2}, member=member)
        respond(riverside, now, {"confidence": 3}, member=member)
    for _ in range(10):
        respond(riverside, before, {"confidence": 2})
        respond(riverside, now, {"confidence": 3})

    row = confidence.comparison(
        wards=Area.objects.filter(pk=riverside.pk), round_=now, previous=before
    ).rows[0]

    assert row.confidence_change == pytest.approx(1.0)
    assert row.confidence_change_same is None
