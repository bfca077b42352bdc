"""Maps drawn with folium on our vendored Leaflet, under a strict CSP.

folium normally loads Leaflet, jQuery and Bootstrap from CDNs and tiles from
OpenStreetMap. Here it uses only ``static/vendor/leaflet``, draws no background tiles
unless ``MAP_TILE_URL`` is set, and its inline script carries the request's CSP nonce.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import folium
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Area

_SCRIPT_BODY = re.compile(r"<script[^>]*>(.*?)</script>", re.S)

OUTLINE = {"color": "#1d4f91", "weight": 2, "fillColor": "#1d4f91", "fillOpacity": 0.12}


@dataclass(frozen=True)
class MapLayer:
    """A GeoJSON FeatureCollection (WGS84) with a name and a style."""

    name: str
    features: list[dict]
    style: dict | None = None
    tooltip_fields: tuple[str, ...] = ("name",)
    color_property: str | None = None  # a feature property holding its fill colour


def new_map() -> folium.Map:
    m = folium.Map(location=[53.74, -0.33], zoom_start=10, tiles=None, control_scale=True)
    # Our own copies only: no CDN, and no jQuery/Bootstrap that our pages do not use.
    m.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css"))]
    if settings.MAP_TILE_URL:
        folium.TileLayer(
            tiles=settings.MAP_TILE_URL, attr=settings.MAP_TILE_ATTRIBUTION or "Map tiles"
        ).add_to(m)
    return m


def add_layer(m: folium.Map, layer: MapLayer) -> None:
    if not layer.features:
        return
    base = dict(OUTLINE | (layer.style or {}))
    prop = layer.color_property

    def style(feature: dict) -> dict:
        if prop and feature["properties"].get(prop):
            return base | {"fillColor": feature["properties"][prop], "fillOpacity": 0.55}
        return base

    collection = {"type": "FeatureCollection", "features": layer.features}
    folium.GeoJson(
        collection,
        name=layer.name,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=list(layer.tooltip_fields), labels=False),
    ).add_to(m)


def fit(m: folium.Map, features: Iterable[dict]) -> None:
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for f in features:
        walk(f["geometry"]["coordinates"])
    if xs:
        m.fit_bounds([[min(ys), min(xs)], [max(ys), max(xs)]])


def render(m: folium.Map, *, nonce: str, label: str) -> SafeString:
    """The map's container and script, ready to place in a page.

    Only the vendored Leaflet is loaded; folium's own page furniture (its viewport meta,
    full-page styles, CDN links) is left out.
    """
    fig = m.get_root()
    fig.render()
    div = fig.html.render()
    scripts = "\n".join(_SCRIPT_BODY.findall(fig.script.render())) or fig.script.render()
    return mark_safe(
        f'<div class="map" role="region" aria-label="{escape(label)}">{div}</div>'
        f'<script nonce="{escape(nonce)}">{scripts}</script>'
    )


def area_features(areas: Iterable[Area], *, extra: dict[int, dict] | None = None) -> list[dict]:
    """GeoJSON features of areas' simplified WGS84 boundaries."""
    features = []
    for area in areas:
        if area.boundary_simple is None:
            continue
        props = {"name": area.name, "code": area.code}
        if extra and area.pk in extra:
            props |= extra[area.pk]
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(area.boundary_simple.geojson),
                "properties": props,
            }
        )
    return features


def areas_map(
    areas: Iterable[Area], *, nonce: str, label: str, layers: Iterable[MapLayer] = ()
) -> SafeString:
    """A map of some areas' outlines (plus optional layers), fitted to them."""
    features = area_features(areas)
    m = new_map()
    add_layer(m, MapLayer(name="Areas", features=features))
    for layer in layers:
        add_layer(m, layer)
    fit(m, features)
    return render(m, nonce=nonce, label=label)
