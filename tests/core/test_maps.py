"""core.maps: folium on the vendored Leaflet, fitted on its data, safe under the CSP."""

from __future__ import annotations

import json
import re

import pytest

from core.maps import NOWHERE, Layer, bounds_of, label_point, map_html

HOSTILE = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'


def square(west: float, south: float, size: float = 0.02, **properties) -> dict:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"name": "Square", **properties},
    }


def cardiff() -> list[dict]:
    return [square(-3.20, 51.46, name="Riverside"), square(-3.16, 51.50, name="Cathays")]


def draw(features: list[dict], **layer) -> str:
    return map_html(
        layers=[Layer(name="Wards", features=features, **layer)],
        label="Map of Cardiff",
        nonce="n0nce-123",
    )


def centre(html: str) -> tuple[float, float]:
    lat, lon = re.search(r"center: \[([-\d.]+), ([-\d.]+)\]", html).groups()
    return float(lat), float(lon)


def fitted(html: str) -> list[list[float]]:
    return json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S).group(1))


def data(html: str) -> dict:
    """The GeoJSON handed to Leaflet, as the browser reads it (JSON escapes undone)."""
    return json.loads(re.search(r"_add\((\{.*\})\);", html).group(1))


# --- Centred on the data --------------------------------------------------------------------


def test_a_map_of_features_outside_humberside_is_centred_on_them():
    html = draw(cardiff())

    lat, lon = centre(html)
    assert lat == pytest.approx(51.49) and lon == pytest.approx(-3.17)
    assert fitted(html) == [[51.46, -3.20], [51.52, -3.14]]
    assert "53.74" not in html and "-0.33" not in html


def test_a_map_without_features_fits_what_the_fallback_gives():
    html = map_html(
        layers=[Layer(name="Streets", features=[])],
        label="Empty",
        nonce="n",
        fallback=lambda: ((50.0, -5.7), (50.2, -5.5)),
    )

    assert fitted(html) == [[50.0, -5.7], [50.2, -5.5]]
    assert centre(html) == pytest.approx((50.1, -5.6))


def test_the_fallback_is_not_asked_when_there_are_features():
    def fallback():
        raise AssertionError("not needed: the features give the bounds")

    assert fitted(map_html(layers=[Layer("W", cardiff())], label="m", nonce="n", fallback=fallback))


def test_a_map_with_nothing_at_all_shows_great_britain():
    html = map_html(layers=[], label="Empty", nonce="n", fallback=lambda: None)

    assert fitted(html) == [list(NOWHERE[0]), list(NOWHERE[1])]


def test_the_bounds_of_points_lines_and_polygons_hold_every_coordinate():
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-1.5, 53.0]}}
    line = {
        "type": "Feature",
        "geometry": {"type": "MultiLineString", "coordinates": [[[-1.0, 52.5], [-0.5, 52.9]]]},
    }

    assert bounds_of([point, line]) == ((52.5, -1.5), (53.0, -0.5))
    assert bounds_of([]) is None


# --- Offline and under the CSP --------------------------------------------------------------


def test_no_cdn_or_tile_url_is_in_the_output_without_a_tile_url(settings):
    settings.MAP_TILE_URL = ""

    html = draw(cardiff())

    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr|openstreetmap", html, re.I)
    assert "L.tileLayer" not in html


def test_tiles_are_drawn_only_from_the_configured_url(settings):
    settings.MAP_TILE_URL = "https://tiles.example.test/{z}/{x}/{y}.png"

    html = draw(cardiff())

    assert "L.tileLayer" in html
    assert re.findall(r"https?://[^\"' ]+", html) == [settings.MAP_TILE_URL]


def test_the_only_script_carries_the_requests_nonce():
    html = draw(cardiff())

    assert re.findall(r"<script[^>]*>", html) == ['<script nonce="n0nce-123">']
    assert "style=" not in html.split("<script", 1)[0]


# --- Escaping -------------------------------------------------------------------------------


def test_a_hostile_name_is_escaped_in_the_tooltip():
    html = draw([square(-3.2, 51.46, name=HOSTILE)], tooltip=(("name", "Ward <b>"),))

    # Leaflet's tooltip sets innerHTML from the properties: it must get escaped text.
    assert data(html)["features"][0]["properties"]["name"] == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;/script&gt;"
        "&lt;script&gt;alert(2)&lt;/script&gt;"
    )
    assert "Ward &lt;b&gt;" in json.loads(re.search(r"let aliases = (\[.*?\]);", html).group(1))
    assert "</script><script>" not in html  # nor can the data end the script early
    assert "<img" not in html


def test_a_hostile_label_is_escaped_in_the_region():
    html = map_html(layers=[Layer("W", cardiff())], label='"><script>', nonce='"x', fallback=None)

    assert html.startswith('<div class="map" role="region" aria-label="&quot;&gt;&lt;script&gt;">')
    assert '<script nonce="&quot;x">' in html


# --- Layers ---------------------------------------------------------------------------------


def test_each_feature_gets_the_style_its_layer_gives_it():
    features = [
        square(-3.2, 51.46, name="Low", score=10),
        square(-3.1, 51.46, name="High", score=90),
    ]

    html = draw(
        features,
        style=lambda f: {"fillColor": "#bd0026" if f["properties"]["score"] > 50 else "#ffffb2"},
    )

    assert '"fillColor": "#bd0026"' in html and '"fillColor": "#ffffb2"' in html


def test_points_of_a_circle_layer_are_drawn_as_circles():
    point = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-3.18, 51.48]},
        "properties": {"name": "Stop"},
    }

    assert "new L.CircleMarker" in draw([point], circle_radius=6)
    assert "new L.CircleMarker" not in draw([point])


# --- Labels ---------------------------------------------------------------------------------


def labels(html: str) -> tuple[list, int]:
    found = re.search(r"\}\)\((map_\w+), (\[.*?\]), (\d+)\);", html, re.S)
    return json.loads(found.group(2)), int(found.group(3))


def test_a_layer_with_labels_writes_each_name_on_the_map_from_its_zoom():
    html = draw(cardiff(), labels_from_zoom=16)

    names, from_zoom = labels(html)
    assert [name for _lat, _lon, name in names] == ["Riverside", "Cathays"]
    assert from_zoom == 16
    assert 'className: "map-label"' in html


def test_a_layer_without_labels_writes_no_names():
    assert "map-label" not in draw(cardiff())


def test_a_hostile_name_is_escaped_in_its_label():
    html = draw([square(-3.2, 51.46, name=HOSTILE)], labels_from_zoom=16)

    names, _zoom = labels(html)
    assert names[0][2].startswith("&lt;img src=x")
    assert "</script><script>" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script nonce="n0nce-123">']


def test_a_label_sits_on_one_of_its_features_points():
    line = {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [[-3.2, 51.4], [-3.1, 51.5], [-3.0, 51.6]],
        },
        "properties": {"name": "Long Road"},
    }

    assert label_point(line) == (-3.1, 51.5)


# --- The tile host in the Content-Security-Policy ---------------------------------------------


def img_src(settings) -> str:
    from config.middleware import ContentSecurityPolicyMiddleware as Middleware

    policy = Middleware.policy("n")
    return next(p for p in policy.split("; ") if p.startswith("img-src"))


def test_without_a_tile_service_images_come_only_from_the_site(settings):
    settings.MAP_TILE_URL = ""

    assert img_src(settings) == "img-src 'self' data:"


def test_a_configured_tile_service_is_the_one_extra_image_host(settings):
    settings.MAP_TILE_URL = "https://api.os.uk/maps/raster/v1/zxy/Road_3857/{z}/{x}/{y}.png?key=k"

    assert img_src(settings) == "img-src 'self' data: https://api.os.uk"


def test_a_background_layer_is_not_interactive_and_has_no_tooltip():
    html = draw(cardiff(), interactive=False, tooltip=())

    assert '"interactive": false' in html
    assert "GeoJsonTooltip" not in html and "bindTooltip" not in html


def test_a_single_point_is_fitted_with_room_around_it_not_at_infinite_zoom():
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-0.33, 53.74]},
             "properties": {"name": "Stop"}}  # fmt: skip

    (south, west), (north, east) = bounds_of([point])

    assert south < 53.74 < north and west < -0.33 < east
    assert north - south == pytest.approx(0.002)
