"""Score maps, light enough for a phone: simplified geometry, only the area's streets."""

from __future__ import annotations

import json
from collections.abc import Iterable

import folium
from django.db import connection
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from areas.maps import MapLayer, add_layer, area_features, fit, new_map, render
from areas.models import WGS84, Area

from .models import StreetScore, WardScore

# Score bands (0..100) and their colours (ColorBrewer YlOrRd, colour-blind safe).
BANDS = (
    (80, "#bd0026", "80–100"),
    (60, "#f03b20", "60–79"),
    (40, "#fd8d3c", "40–59"),
    (20, "#fecc5c", "20–39"),
    (0, "#ffffb2", "0–19"),
)
# Metres: lines are simplified to this tolerance before they are sent.
SIMPLIFY_M = 5
COORDINATE_DECIMALS = 5  # about 1 m


def colour(score: float) -> str:
    return next(c for floor, c, _ in BANDS if score >= floor)


def band(score: float) -> str:
    """The CSS class of a score's band (targeting.css colours it; no inline styles)."""
    return f"band-{next(floor for floor, _, _ in BANDS if score >= floor)}"


def legend() -> list[tuple[str, str]]:
    return [(f"band-{floor}", label) for floor, _, label in BANDS]


def street_features(scores: Iterable[StreetScore]) -> list[dict]:
    """GeoJSON features (WGS84, simplified) of the scored streets, coloured by score."""
    by_street = {s.street_id: s for s in scores}
    if not by_street:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.id, ST_AsGeoJSON(ST_Transform(
                       ST_SimplifyPreserveTopology(s.geometry, %s), %s), %s)
              FROM areas_street s WHERE s.id = ANY(%s)
            """,
            [SIMPLIFY_M, WGS84, COORDINATE_DECIMALS, list(by_street)],
        )
        rows = cursor.fetchall()
    features = []
    for street_id, geometry in rows:
        score = by_street[street_id]
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geometry),
                "properties": {
                    "name": score.street.name,
                    "score": f"{score.score:.0f}",
                    "rank": score.rank_in_ward,
                    "colour": colour(score.score),
                },
            }
        )
    # Highest scores drawn last, on top.
    features.sort(key=lambda f: int(f["properties"]["score"]))
    return features


def ward_features(scores: list[WardScore], *, tolerance_m: float) -> list[dict]:
    """Wards' outlines simplified to ``tolerance_m`` metres, coloured by score.

    A force's 81 wards at the 10 m of ``boundary_simple`` weigh 400 KB; at 50 m, a
    phone gets the same picture for a fraction of it.
    """
    by_ward = {s.ward_id: s for s in scores}
    if not by_ward:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, ST_AsGeoJSON(ST_Transform(
                       ST_SimplifyPreserveTopology(a.boundary, %s), %s), %s)
              FROM areas_area a WHERE a.id = ANY(%s) AND a.boundary IS NOT NULL
            """,
            [tolerance_m, WGS84, COORDINATE_DECIMALS, list(by_ward)],
        )
        rows = cursor.fetchall()
    return [
        {
            "type": "Feature",
            "geometry": json.loads(geometry),
            "properties": {
                "name": by_ward[ward_id].ward.name,
                "score": f"{by_ward[ward_id].score:.0f}",
                "colour": colour(by_ward[ward_id].score),
            },
        }
        for ward_id, geometry in rows
    ]


def _style(feature: dict) -> dict:
    c = feature["properties"]["colour"]
    return {"color": "#333333", "weight": 1, "fillColor": c, "fillOpacity": 0.9}


def _line_style(feature: dict) -> dict:
    c = feature["properties"]["colour"]
    return {"color": c, "weight": 5, "opacity": 0.9}


def ward_map(ward: Area, scores: list[StreetScore], *, nonce: str) -> SafeString:
    """The ward's outline and its streets coloured by score (points as circles)."""
    m = new_map()
    outline = area_features([ward])
    add_layer(m, MapLayer(name=ward.name, features=outline, style={"fillOpacity": 0.04}))
    features = street_features(scores)
    points = [f for f in features if f["geometry"]["type"] in ("Point", "MultiPoint")]
    lines = [f for f in features if f not in points]
    tooltip_fields = ["name", "score"]
    aliases = [_("Street"), _("Score")]
    if lines:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": lines},
            name=_("Streets"),
            style_function=_line_style,
            tooltip=folium.GeoJsonTooltip(fields=tooltip_fields, aliases=aliases),
        ).add_to(m)
    if points:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": points},
            name=_("Streets (police.uk map points)"),
            style_function=_style,
            marker=folium.CircleMarker(radius=6, fill=True, weight=1),
            tooltip=folium.GeoJsonTooltip(fields=tooltip_fields, aliases=aliases),
        ).add_to(m)
    fit(m, outline or features)
    return render(
        m, nonce=nonce, label=_("Map of the streets of %(ward)s by score") % {"ward": ward.name}
    )


def wards_map(area: Area, scores: list[WardScore], *, nonce: str) -> SafeString:
    """A district's or force's wards coloured by their score."""
    m = new_map()
    tolerance = 50 if area.level == Area.Level.FORCE else 20
    features = ward_features(scores, tolerance_m=tolerance)
    add_layer(
        m,
        MapLayer(
            name=_("Wards"),
            features=features,
            tooltip_fields=("name", "score"),
            color_property="colour",
        ),
    )
    fit(m, features)
    return render(
        m, nonce=nonce, label=_("Map of the wards of %(area)s by score") % {"area": area.name}
    )
