"""Representativeness by Acorn (per postcode) on the hand-built population of conftest.py,
worked out by hand.

| output area | residents | postcodes (Acorn type)         | residents per postcode |
|-------------|-----------|--------------------------------|------------------------|
| E00999101   | 500       | ZZ8 0AA (1.A.1), ZZ8 0AX (2.B.1) | 250                    |
| E00999102   | 300       | ZZ8 1AA (2.B.1)                | 300                    |
| E00999103   | 200       | ZZ8 2AA (3.C.1)                | 200                    |

Estimated population by category: 1: 250 (25%), 2: 550 (55%), 3: 200 (20%). Members
(60, 30 and 10 at ZZ8 0AA, 1AA and 2AA): 60%, 30%, 10%, so ratios 2.4, 0.545 and 0.5:
categories 2 and 3 are below the 0.7 target. Where they live (most postcodes of the
output area in the class, ties kept): category 2 in E00999101 (a tie) and E00999102,
category 3 in E00999103.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from areas.models import Area, GeodemographicClass
from areas.selectors import output_areas_of_class
from targeting.insight import representativeness
from targeting.setups.models import SetUp
from tests.factories.targeting import make_postcode, make_street

pytestmark = pytest.mark.django_db


def _acorn(code: str, level: str, parent=None) -> GeodemographicClass:
    return GeodemographicClass.objects.create(
        scheme="acorn", level=level, code=code, name=f"Acorn {code}", parent=parent
    )


@pytest.fixture
def acorn(population, members):
    types = {}
    for cat, grp in (("1", "A"), ("2", "B"), ("3", "C")):
        top = _acorn(cat, "category")
        group = _acorn(f"{cat}.{grp}", "group", top)
        types[cat] = _acorn(f"{cat}.{grp}.1", "type", group)
    postcodes = population["postcodes"]
    extra = make_postcode("ZZ8 0AX", population["riverside"], 100_100, 101_200)
    for postcode, cat in ((postcodes["1"], "1"), (extra, "2"), (postcodes["2"], "2"),
                          (postcodes["3"], "3")):  # fmt: skip
        postcode.classification = types[cat]
        postcode.save(update_fields=["classification"])
    return population


def _figures(area: Area, level: str):
    return representativeness.representation(
        area=area, wards=Area.objects.filter(pk=area.pk), level=level, target=0.7
    )


def test_acorn_coverage_ratios_share_each_output_areas_residents_among_its_postcodes(acorn):
    rep = _figures(acorn["riverside"], "acorn_category")

    rows = {r.group.code: r for r in rep.rows}
    assert {c: r.population for c, r in rows.items()} == {
        "acorn:1": 250, "acorn:2": 550, "acorn:3": 200,
    }  # fmt: skip
    assert {c: r.members for c, r in rows.items()} == {"acorn:1": 60, "acorn:2": 30, "acorn:3": 10}
    assert rows["acorn:2"].members_ratio == pytest.approx(0.3 / 0.55)
    assert [r.group.code for r in rep.below_target] == ["acorn:2", "acorn:3"]


def test_where_an_acorn_class_lives_is_where_most_postcodes_are_in_it(acorn):
    wards = Area.objects.filter(pk=acorn["riverside"].pk)
    codes = {
        cat: sorted(
            output_areas_of_class(
                wards, GeodemographicClass.objects.get(scheme="acorn", code=cat)
            ).values_list("code", flat=True)
        )
        for cat in ("1", "2", "3", "2.B")
    }

    assert codes == {
        "1": ["E00999101"],
        "2": ["E00999101", "E00999102"],
        "3": ["E00999103"],
        "2.B": ["E00999101", "E00999102"],
    }


def test_the_acorn_levels_are_offered_only_once_a_force_has_loaded_acorn(population):
    assert "acorn_category" not in representativeness.levels()
    GeodemographicClass.objects.filter(scheme="acorn").delete()

    postcode = population["postcodes"]["1"]
    postcode.classification = _acorn("9", "category")
    postcode.save(update_fields=["classification"])

    assert {"acorn_category", "acorn_group"} <= set(representativeness.levels())


def test_the_page_links_a_set_up_for_an_acorn_class_and_the_plan_takes_it(people, acorn):
    client = people.client("district_supervisor")
    html = client.get(
        "/staff/insight/representation/?area=E05999901&level=acorn_category"
    ).content.decode()

    assert "/staff/setups/new/?group=acorn%3A3&amp;area=E05999901" in html
    form = client.get("/staff/setups/new/?group=acorn%3A3&area=E05999901").content.decode()
    assert 'value="acorn:3" selected' in form

    # A street in each of output areas 1 and 3: category 3 lives in output area 3.
    make_street(acorn["riverside"], "Oak Road", (100_150, 101_500))
    make_street(acorn["riverside"], "Elm Road", (100_750, 101_500))
    today = timezone.localdate()
    client.post("/staff/setups/new/", {
        "name": "Category 3", "area_kind": "wards", "wards": [acorn["riverside"].pk],
        "target": "group_areas", "group": "acorn:3", "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=7)).isoformat(),
    })  # fmt: skip

    setup = SetUp.objects.get()
    assert (setup.group.scheme, setup.group.code) == ("acorn", "3")
    assert [s.street.name for s in setup.setup_streets.all()] == ["Elm Road"]
    assert "shared equally among the postcodes" in html
