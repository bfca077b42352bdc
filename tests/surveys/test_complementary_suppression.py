"""Complementary suppression: a hidden part can't be worked out from its total.

An area's total is shown with the areas (or streets) below it; if exactly one part
were hidden, the total minus the parts shown would give it away.
"""

import csv
import io

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from areas.models import Area, Street
from surveys import export
from surveys.results import results_for
from tests.factories.surveys import bulk_responses, round_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def meadow(tiny_force):
    """A third ward of North Town."""
    return Area.objects.create(
        code="E05999904", name="Meadow", level=Area.Level.WARD, parent=tiny_force["north"]
    )


def answers(ward, round_, count, trust, *, unanswered=0, street=None):
    bulk_responses(ward=ward, round_=round_, count=count, scales={"trust": trust}, street=street)
    if unanswered:
        bulk_responses(ward=ward, round_=round_, count=unanswered, invitations_only=True,
                       street=street)  # fmt: skip


def csv_rows(area, rounds):
    out = io.StringIO()
    export.write(out, area=area, rounds=rounds)
    return {row["name"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}


def test_the_second_smallest_ward_is_hidden_when_one_ward_is_small(tiny_force, meadow):
    q = round_at(2025, 2)
    answers(tiny_force["riverside"], q, 20, 4, unanswered=5)
    answers(tiny_force["hillside"], q, 4, 1, unanswered=2)  # the small ward
    answers(meadow, q, 12, 3)

    res = results_for(area=tiny_force["north"], round_=q)

    assert (res.current.invitations, res.current.respondents) == (43, 36)
    assert res.current.means["trust"].n == 36
    wards = {c.name: c.published for c in res.children}
    assert wards["Hillside"].respondents is None
    meadow_shown = wards["Meadow"]
    assert meadow_shown.invitations is None and meadow_shown.respondents is None
    assert meadow_shown.response_rate is None
    trust = meadow_shown.means["trust"]
    assert (trust.n, trust.mean, trust.low, trust.high, trust.change) == (None,) * 5
    riverside = wards["Riverside"]
    assert (riverside.invitations, riverside.respondents) == (25, 20)
    assert riverside.means["trust"].mean == pytest.approx(4)

    rows = csv_rows(tiny_force["north"], [q])
    assert rows["North Town"]["respondents"] == "36"
    for column in ("invitations", "respondents", "response_rate", "trust_n", "trust_mean",
                   "trust_ci_low", "trust_ci_high"):  # fmt: skip
        assert rows["Hillside"][column] == export.HIDDEN
        assert rows["Meadow"][column] == export.HIDDEN
    assert (rows["Riverside"]["invitations"], rows["Riverside"]["respondents"]) == ("25", "20")
    assert rows["Riverside"]["trust_mean"] == "4.00"


def test_two_small_wards_adding_up_to_ten_hide_nothing_more(tiny_force, meadow):
    q = round_at(2025, 2)
    answers(tiny_force["riverside"], q, 20, 4)
    answers(tiny_force["hillside"], q, 4, 1)
    answers(meadow, q, 7, 3)

    wards = {c.name: c.published for c in results_for(area=tiny_force["north"], round_=q).children}

    assert wards["Hillside"].respondents is None and wards["Meadow"].respondents is None
    assert (wards["Riverside"].invitations, wards["Riverside"].respondents) == (20, 20)
    assert wards["Riverside"].means["trust"].shown
    rows = csv_rows(tiny_force["north"], [q])
    assert (rows["Riverside"]["respondents"], rows["Riverside"]["trust_n"]) == ("20", "20")


def test_a_street_pushed_into_hiding_is_not_listed(tiny_force):
    q = round_at(2025, 2)
    riverside = tiny_force["riverside"]
    streets = [
        Street.objects.create(name=name, ward=riverside, source=Street.Source.POLICE_UK,
                              geometry=Point(100100 + i * 100, 101100, srid=27700))
        for i, name in enumerate(["Ash Road", "Beech Road", "Cedar Road"])
    ]  # fmt: skip
    answers(riverside, q, 15, 4, street=streets[0])
    answers(riverside, q, 12, 3, street=streets[1])
    answers(riverside, q, 3, 1, street=streets[2])  # not listed: fewer than 10

    res = results_for(area=riverside, round_=q)

    assert res.current.respondents == 30
    assert [c.name for c in res.children] == ["Ash Road"]
    assert res.children_hidden == 2
    rows = csv_rows(riverside, [q])
    assert rows["Ash Road"]["respondents"] == "15"
    assert rows["Beech Road"]["respondents"] == export.HIDDEN
    assert rows["Beech Road"]["trust_mean"] == export.HIDDEN


def test_the_page_never_says_fewer_than_ten_of_a_ward_hidden_to_protect_another(
    client, supervisor, tiny_force, meadow
):
    q = round_at(2025, 2)
    answers(tiny_force["riverside"], q, 20, 4)
    answers(tiny_force["hillside"], q, 4, 1)
    answers(meadow, q, 12, 3)
    client.force_login(supervisor)

    body = client.get(
        reverse("surveys_results"), {"area": tiny_force["north"].code, "quarter": "2025-Q2"}
    ).content.decode()

    meadow_row = body[body.index(">Meadow</a>") :].split("</tr>")[0]
    assert "not shown" in meadow_row
    assert "&lt;10" not in meadow_row and "12" not in meadow_row
