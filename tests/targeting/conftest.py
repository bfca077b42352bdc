"""A small hand-built area for scoring and page tests, in the tiny test force.

Riverside ward (x 100,000-101,000, y 101,000-102,000) has two output areas: the west
half (200 households, IMD decile 1, 4 members) holding High Street, and the east half
(100 households, decile 8, 8 members) holding Mill Lane and Quiet Close. Hillside has
one output area (100 households, decile 5, 10 members) holding Hill Road. Docks has
nothing. Crimes in January to March 2024:

- High Street: 2, 2, then 10 anti-social behaviour reports, plus 2 violent crimes in March;
- Mill Lane: 4 violent crimes every month;
- Quiet Close: one burglary in January;
- Hill Road: one anti-social behaviour report every month.

Ten Riverside respondents rate trust and confidence 2 and rank anti-social behaviour
then burglary; ten Hillside respondents rate 4 and rank burglary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from demo.geography import data_dir
from tests.factories.targeting import hand_built_area, survey_answers


def clear_crimes() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE targeting_crime, targeting_crimeimport, targeting_mappoint, "
            "targeting_streetscore, targeting_wardscore"
        )


@pytest.fixture(scope="module")
def humberside_crimes(django_db_setup, django_db_blocker):
    """January to March 2024 of the real Humberside files, imported once per module.

    Committed (tests run in transactions on top of them) and removed at the end.
    """
    from demo.geography import police_street_files
    from targeting.importers.crimes import import_crimes

    with django_db_blocker.unblock():
        clear_crimes()
        summaries = [import_crimes([path]) for path in police_street_files()[:3]]
        yield summaries
        clear_crimes()


@pytest.fixture
def data() -> Path:
    """The repository's open data (``data/``), read in place."""
    return data_dir()


@pytest.fixture
def area(tiny_force) -> dict:
    return hand_built_area(tiny_force)


@pytest.fixture
def surveyed_area(area) -> dict:
    survey_answers(
        area["riverside"],
        count=10,
        trust=2,
        confidence=2,
        priorities=["anti-social-behaviour", "burglary"],
    )
    survey_answers(area["hillside"], count=10, trust=4, confidence=4, priorities=["burglary"])
    return area
