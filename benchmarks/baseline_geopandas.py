"""What a force analyst would do instead: the latest month's street harm in geopandas.

The same police.uk files, the same wards and streets (read from the database the
project uses), the same harm weights: read every file, make the points, join them to
the ward that covers them, find the nearest street within 100 m, and sum the category
weights over the harm window. The street harm must equal the project's
(``StreetScore.harm_weighted`` for the latest month) street for street; the check runs
after the timed part.

Coordinates are projected with the British National Grid definition PostGIS holds, so
both sides place a point at the same metre; ties between streets at the same distance
are broken as the project breaks them (the point's own name in its ward first, then the
lower id).
"""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from django.db import connection

from areas.models import BNG, Area
from targeting.importers.crime_rows import normalise_location, street_name
from targeting.importers.crimes import STREET_DISTANCE_M

COLUMNS = ["Month", "Longitude", "Latitude", "Location", "Crime type"]


def _frame(sql: str, params: list | None = None) -> gpd.GeoDataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.fetchall()
        names = [c.name for c in cursor.description]
    data = pd.DataFrame(rows, columns=names)
    geometry = shapely.from_wkb([bytes(g) for g in data.pop("wkb")])
    return gpd.GeoDataFrame(data, geometry=geometry, crs=BNG)


def _bng() -> pyproj.CRS:
    with connection.cursor() as cursor:
        cursor.execute("SELECT proj4text FROM spatial_ref_sys WHERE srid = %s", [BNG])
        return pyproj.CRS.from_proj4(cursor.fetchone()[0])


def _harm_inputs() -> tuple[dict[str, float], int]:
    from targeting.models import CrimeCategory, ScoringSettings

    weights = {c.name.lower(): c.harm_weight for c in CrimeCategory.objects.all()}
    return weights, ScoringSettings.load().harm_months


def street_harm(files: list[Path]) -> tuple[pd.Series, dict[str, float]]:
    """Street id -> monthly harm over the window ending with the latest month."""
    marks = {}
    started = time.perf_counter()
    crimes = pd.concat(
        (
            pd.read_csv(f, usecols=COLUMNS, dtype={"Location": str, "Crime type": str})
            for f in files
        ),
        ignore_index=True,
    )
    wards = _frame(
        "SELECT id AS ward_id, ST_AsBinary(boundary) AS wkb FROM areas_area WHERE level = %s",
        [Area.Level.WARD],
    )
    streets = _frame(
        "SELECT id AS street_id, name AS street_name, ward_id AS street_ward, "
        "ST_AsBinary(geometry) AS wkb FROM areas_street"
    )
    weights, harm_months = _harm_inputs()
    marks["read"] = time.perf_counter() - started

    crimes = crimes.dropna(subset=["Longitude", "Latitude"])
    points = gpd.GeoDataFrame(
        crimes,
        geometry=gpd.points_from_xy(crimes["Longitude"], crimes["Latitude"]),
        crs="EPSG:4326",
    ).to_crs(_bng())
    points = points.set_crs(BNG, allow_override=True)
    points["name"] = points["Location"].map(lambda s: street_name(normalise_location(str(s))))
    marks["points"] = time.perf_counter() - started

    in_ward = gpd.sjoin(points, wards, how="inner", predicate="covered_by")
    # A point on a boundary is in the ward with the lower id, as in the project.
    in_ward = in_ward.sort_values("ward_id", kind="stable")
    in_ward = in_ward[~in_ward.index.duplicated(keep="first")]
    in_ward = in_ward.drop(columns="index_right")
    marks["ward_join"] = time.perf_counter() - started

    near = gpd.sjoin_nearest(
        in_ward, streets, how="inner", max_distance=STREET_DISTANCE_M, distance_col="distance"
    )
    near["own"] = (near["street_name"] == near["name"]) & (near["street_ward"] == near["ward_id"])
    near = near.sort_values(["distance", "own", "street_id"], ascending=[True, False, True])
    near = near[~near.index.duplicated(keep="first")]
    marks["nearest_street"] = time.perf_counter() - started

    months = sorted(near["Month"].unique())[-harm_months:]
    window = near[near["Month"].isin(months)]
    weight = window["Crime type"].str.lower().map(weights)
    harm = weight.groupby(window["street_id"]).sum() / len(months)
    marks["weighted_sum"] = time.perf_counter() - started
    return harm, marks


def project_harm() -> pd.Series:
    from targeting.models import StreetScore

    latest = StreetScore.objects.order_by("-period").values_list("period", flat=True).first()
    rows = StreetScore.objects.filter(period=latest).values_list("street_id", "harm_weighted")
    return pd.Series(dict(rows), dtype=float)


def compare(baseline: pd.Series, project: pd.Series) -> dict:
    streets = project.index.union(baseline.index)
    a = baseline.reindex(streets, fill_value=0.0).to_numpy()
    b = project.reindex(streets, fill_value=0.0).to_numpy()
    equal = a == b
    differ = streets[~equal]
    return {
        "streets": len(streets),
        "with_harm": int((b > 0).sum()),
        "equal": int(equal.sum()),
        "differ": int((~equal).sum()),
        "examples": [
            {"street_id": int(s), "geopandas": float(a[i]), "project": float(b[i])}
            for i, s in zip(np.flatnonzero(~equal)[:5], differ[:5], strict=False)
        ],
    }


def run(files: list[Path]) -> dict:
    started = time.perf_counter()
    harm, marks = street_harm(files)
    seconds = time.perf_counter() - started
    return {
        "size": int(sum(1 for f in files for _ in f.open()) - len(files)),
        "unit": "rows",
        "seconds": seconds,
        "stages": {k: round(v, 2) for k, v in marks.items()},
        "agreement": compare(harm, project_harm()),
    }
