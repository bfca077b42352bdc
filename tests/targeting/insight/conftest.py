"""A hand-built population for the insight tests, in Riverside ward (tests/conftest.py).

Three output areas, each of its own OAC supergroup (1, 2, 3; groups 1a, 2a, 3a):

| output area | class | residents | members |
|-------------|-------|-----------|---------|
| E00999101   | 1a1   | 500 (50%) | 60      |
| E00999102   | 2a1   | 300 (30%) | 30      |
| E00999103   | 3a1   | 200 (20%) | 10      |

Members' shares are 60%, 30% and 10%: coverage ratios 1.2, 1.0 and 0.5, so at the
default target (0.7) supergroup 3 alone is below it.
"""

from __future__ import annotations

import pytest

from areas.models import GeodemographicClass
from tests.factories.targeting import make_members, make_output_area, make_postcode, rectangle

POPULATION = {"1": 500, "2": 300, "3": 200}
MEMBERS = {"1": 60, "2": 30, "3": 10}


def _class(level: str, code: str, parent=None) -> GeodemographicClass:
    # The real OAC classes are in the test database already (tests/conftest.py).
    found, _ = GeodemographicClass.objects.get_or_create(
        scheme="oac", code=code, defaults={"level": level, "name": code, "parent": parent}
    )
    return found


def oac_classes() -> dict[str, GeodemographicClass]:
    classes = {}
    for sg in POPULATION:
        top = _class("supergroup", sg)
        group = _class("group", f"{sg}a", top)
        classes.update({sg: top, f"{sg}a": group, f"{sg}a1": _class("subgroup", f"{sg}a1", group)})
    return classes


@pytest.fixture
def population(tiny_force):
    """The output areas, their classes and postcodes (one per output area)."""
    riverside = tiny_force["riverside"]
    classes = oac_classes()
    postcodes = {}
    for i, (sg, residents) in enumerate(POPULATION.items()):
        x0 = 100_000 + i * 300
        oa = make_output_area(
            f"E00999{101 + i}",
            riverside,
            rectangle(x0, 101_000, x0 + 300, 102_000),
            households=residents // 2,
            residents=residents,
        )
        oa.classification = classes[f"{sg}a1"]
        oa.save(update_fields=["classification"])
        postcodes[sg] = make_postcode(f"ZZ8 {i}AA", riverside, x0 + 150, 101_500)
    return {"classes": classes, "postcodes": postcodes, **tiny_force}


@pytest.fixture
def members(population):
    return {sg: make_members(population["postcodes"][sg], n) for sg, n in MEMBERS.items()}
