"""Helpers for the importer tests: run a command as an admin would, build broken copies.

The real Humberside geography (boundaries, postcodes, output areas, police.uk streets)
is already loaded once per session by ``tests/conftest.py``; these tests read the files
in place and write only small broken copies under ``tmp_path``.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.management import CommandError, call_command

from areas.models import BNG, Area
from demo.geography import data_dir
from tests.conftest import square


@pytest.fixture
def data() -> Path:
    return data_dir()


def run_import(command: str, *args) -> dict:
    """Run an import command with ``--json``; returns its one-line summary."""
    out = StringIO()
    call_command(command, *(str(a) for a in args), "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def run_rejected(command: str, *args) -> tuple[dict, CommandError]:
    """Run an import command that must be rejected; returns its summary and the error."""
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(command, *(str(a) for a in args), "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue()), raised.value


def problems(summary: dict) -> list[tuple[str, int | None, str]]:
    """(file, line, column) of every problem a rejected import reported."""
    return [(e["file"], e["line"], e["column"]) for e in summary["errors"]]


def first_lines(source: Path, target: Path, count: int) -> Path:
    """A byte-for-byte copy of the first ``count`` lines of ``source`` (header included)."""
    with source.open("rb") as handle:
        target.write_bytes(b"".join(line for _, line in zip(range(count), handle, strict=False)))
    return target


def write_features(target: Path, features: list[dict], crs: str | None = None) -> Path:
    """A FeatureCollection written one feature per line, so feature N is on line N + 1."""
    head = {"type": "FeatureCollection"}
    if crs:
        head["crs"] = {"type": "name", "properties": {"name": crs}}
    opening = json.dumps(head)[:-1] + ', "features": ['
    body = ",\n".join(json.dumps(f) for f in features)
    target.write_text(f"{opening}\n{body}\n]}}\n", encoding="utf-8")
    return target


def read_features(source: Path) -> list[dict]:
    return json.loads(source.read_text(encoding="utf-8-sig"))["features"]


def as_bng_geojson(geometry: dict) -> dict:
    """The same geometry with its coordinates in British National Grid metres."""
    geom = GEOSGeometry(json.dumps(geometry), srid=4326)
    geom.transform(BNG)
    return json.loads(geom.json)


@pytest.fixture
def oakham(db) -> Area:
    """A hand-made ward, 4 km square, over Oakham (Rutland, outside Humberside)."""
    return Area.objects.create(
        code="E05999990",
        name="Oakham (test)",
        level=Area.Level.WARD,
        boundary=square(484_000, 307_000, 4000),
    )
