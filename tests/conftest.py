"""Fixtures shared by the whole suite.

The real Humberside geography (boundaries and postcodes from the repository's data/) is
imported once per test database, before the first test; tests that need a database run
inside a transaction that rolls back. Tests that use ``transactional_db`` (browser and
worker tests) run last, because pytest-django empties the database after each of them.
"""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection

from areas.models import BNG, Area
from tests.factories import make_staff


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from demo.geography import load_geography

    with django_db_blocker.unblock():
        load_geography()
        planner_statistics_fixed()


def planner_statistics_fixed() -> None:
    """Analyse the test database once, then keep autovacuum off its tables.

    Tests insert rows and roll them back. Autovacuum then finds tables of dead rows and
    records them as empty but many pages long, and PostgreSQL plans every later join on
    them for one row: nested loops that made the survey property test take eight
    minutes in a two-worker run, where one is enough. Without autovacuum, tables analysed
    empty are estimated from their actual size.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables "
            "WHERE schemaname = current_schema() AND tableowner = current_user"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(
                f"ALTER TABLE {connection.ops.quote_name(table)} SET (autovacuum_enabled = false)"
            )
        cursor.execute("ANALYZE")


def square(x: float, y: float, size: float = 1000) -> MultiPolygon:
    """A square in British National Grid metres, lower-left corner at (x, y)."""
    return MultiPolygon(
        Polygon(((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))), srid=BNG
    )


@pytest.fixture
def tiny_force(db):
    """A small hand-built force, far from Humberside: 2 districts, 3 wards.

    Codes are made up (E05999xxx) so they never clash with the real geography.
    """
    force = Area.objects.create(code="E23999999", name="Testshire", level=Area.Level.FORCE)
    north = Area.objects.create(
        code="E06999901",
        name="North Town",
        level=Area.Level.DISTRICT,
        parent=force,
        boundary=square(100_000, 101_000, 2000),
    )
    south = Area.objects.create(
        code="E06999902",
        name="South Town",
        level=Area.Level.DISTRICT,
        parent=force,
        boundary=square(100_000, 99_000, 2000),
    )
    wards = {
        "riverside": Area.objects.create(
            code="E05999901",
            name="Riverside",
            level=Area.Level.WARD,
            parent=north,
            boundary=square(100_000, 101_000),
        ),
        "hillside": Area.objects.create(
            code="E05999902",
            name="Hillside",
            level=Area.Level.WARD,
            parent=north,
            boundary=square(101_000, 101_000),
        ),
        "docks": Area.objects.create(
            code="E05999903",
            name="Docks",
            level=Area.Level.WARD,
            parent=south,
            boundary=square(100_000, 99_000),
        ),
    }
    return {"force": force, "north": north, "south": south, **wards}


@pytest.fixture
def officer(tiny_force):
    """An officer of Riverside ward, with two-factor authentication set up."""
    return make_staff("officer@example.test", "officer", [tiny_force["riverside"]])


@pytest.fixture
def other_officer(tiny_force):
    """An officer of Hillside: same district as Riverside, another ward."""
    return make_staff("other.officer@example.test", "officer", [tiny_force["hillside"]])


@pytest.fixture
def other_supervisor(tiny_force):
    """A supervisor of South Town: another district."""
    return make_staff("south.supervisor@example.test", "supervisor", [tiny_force["south"]])


@pytest.fixture
def supervisor(tiny_force):
    return make_staff("north.supervisor@example.test", "supervisor", [tiny_force["north"]])


@pytest.fixture
def admin_user(tiny_force):
    return make_staff("admin@example.test", "admin", [tiny_force["force"]])


@pytest.fixture
def people(tiny_force):
    """The shared set of people for staff view tests (tests/people.py)."""
    from tests.people import make_people

    return make_people(tiny_force)
