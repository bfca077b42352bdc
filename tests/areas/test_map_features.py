"""The map features of areas (areas/selectors.py): outlines, bounds, simplified GeoJSON."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import LineString

from areas.importers.base import simplified_wgs84
from areas.models import BNG, Street
from areas.selectors import area_outline_features, areas_bounds, geojson_wgs84

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlined(tiny_force):
    for key in ("riverside", "hillside"):
        ward = tiny_force[key]
        ward.boundary_simple = simplified_wgs84(ward.boundary)
        ward.save(update_fields=["boundary_simple"])
    return tiny_force


def test_outline_features_are_the_areas_wgs84_outlines_with_name_and_code(outlined):
    features = area_outline_features([outlined["riverside"], outlined["hillside"]])

    assert [f["properties"] for f in features] == [
        {"name": "Hillside", "code": "E05999902"},
        {"name": "Riverside", "code": "E05999901"},
    ]
    assert features[1]["geometry"]["type"] == "MultiPolygon"
    lon, lat = features[1]["geometry"]["coordinates"][0][0][0]
    assert -6.5 < lon < -6 and 50.5 < lat < 51  # the tiny force lies in the sea off Cornwall


def test_an_area_without_an_outline_has_no_feature(outlined):
    assert area_outline_features([outlined["docks"]]) == []


def test_the_bounds_of_a_force_without_its_own_outline_hold_its_wards(outlined):
    (south, west), (north, east) = areas_bounds([outlined["force"]])
    riverside = outlined["riverside"].boundary_simple.extent
    hillside = outlined["hillside"].boundary_simple.extent

    assert (west, south) == pytest.approx((riverside[0], riverside[1]))
    assert (east, north) == pytest.approx((hillside[2], hillside[3]))


def test_areas_with_no_outline_anywhere_have_no_bounds(outlined):
    assert areas_bounds([outlined["docks"]]) is None


def test_geojson_is_simplified_in_metres_and_sent_in_wgs84(outlined):
    # A straight road drawn with a point every metre, 2 cm off the line at every other one.
    points = [(100_100 + i, 101_500 + (0.02 if i % 2 else 0)) for i in range(200)]
    road = Street.objects.create(
        name="Long Road",
        ward=outlined["riverside"],
        source=Street.Source.LINES,
        geometry=LineString(points, srid=BNG),
    )

    rows = (
        Street.objects.filter(pk=road.pk)
        .annotate(g=geojson_wgs84("geometry", tolerance_m=1))
        .values_list("g", flat=True)
    )
    geometry = json.loads(rows.get())

    assert len(geometry["coordinates"]) == 2  # the two ends
    assert all(len(str(c).split(".")[1]) <= 5 for point in geometry["coordinates"] for c in point)
    assert -6.5 < geometry["coordinates"][0][0] < -6
