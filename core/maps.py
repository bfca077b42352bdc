"""Maps drawn with folium on our vendored Leaflet, under a strict CSP.

folium normally loads Leaflet, jQuery and Bootstrap from CDNs and tiles from
OpenStreetMap. Here it uses only ``static/vendor/leaflet`` (which a page includes once,
from ``templates/_partials/map_assets.html``), draws no background tiles unless
``MAP_TILE_URL`` is set, and its inline script carries the request's CSP nonce.

The map takes layers of ready GeoJSON features (WGS84), which selectors build; it knows
nothing of areas or scores. It is centred and fitted on what it shows; with nothing to
show, on the bounds its caller's fallback gives (the force, the areas in scope).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import MacroElement, Template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# ((south, west), (north, east)), in degrees.
Bounds = tuple[tuple[float, float], tuple[float, float]]

# Only when there is nothing at all to show (no features, no area boundary): Great Britain.
NOWHERE: Bounds = ((49.9, -8.2), (60.9, 1.8))
PAD_DEGREES = 0.001  # about 110 m north-south, 70 m east-west in Britain
OUTLINE = {"color": "#1d4f91", "weight": 2, "fillColor": "#1d4f91", "fillOpacity": 0.12}

_SCRIPT_BODY = re.compile(r"<script[^>]*>(.*?)</script>", re.S)


@dataclass(frozen=True)
class Layer:
    """GeoJSON features (WGS84) drawn in one style, with a tooltip."""

    name: str
    features: Sequence[dict]
    # Leaflet path options, or a function of the feature giving them.
    style: Mapping[str, Any] | Callable[[dict], Mapping[str, Any]] = field(
        default_factory=lambda: dict(OUTLINE)
    )
    # (property, label) shown on hover; no labels when every label is empty.
    tooltip: Sequence[tuple[str, str]] = (("name", ""),)
    circle_radius: int = 0  # points drawn as circles of this radius (pixels)
    # From this zoom on, each feature's ``name`` is written on the map beside it (0: never);
    # without background tiles this is how an officer reads which street is which.
    labels_from_zoom: int = 0
    # False for a background (output-area outlines): no hover, no tooltip, clicks pass.
    interactive: bool = True

    def style_of(self, feature: dict) -> dict:
        return dict(self.style(feature) if callable(self.style) else self.style)


# Leaflet's zoom at which a street and its neighbours fill a phone's screen.
STREET_ZOOM = 16


def tiles_configured() -> bool:
    """Whether a background tile service is set (``MAP_TILE_URL``). Without one (offline,
    the demo) callers draw outlines and street names themselves."""
    return bool(settings.MAP_TILE_URL)


def map_html(
    *,
    layers: Iterable[Layer],
    label: str,
    nonce: str,
    fallback: Callable[[], Bounds | None] | None = None,
    draw_event: str = "",
) -> SafeString:
    """The map's container and script, ready to place in a page.

    Fitted to the layers' features; with none, to the bounds ``fallback`` gives (asked
    only then: the force, the areas in scope). Only the vendored Leaflet is used;
    folium's own page furniture (its viewport meta, full-page styles, CDN links) is
    left out.

    With ``draw_event``, the map has a draw control (the vendored Leaflet.draw: the page
    includes ``_partials/map_draw_assets.html`` too) for a polygon, a rectangle or a
    circle, and each shape drawn is announced to the page's own script as a DOM event
    of that name on ``document``, with ``detail`` = {"geojson": ..., "radius": metres
    or null}.
    """
    layers = [layer for layer in layers if layer.features]
    fitted = bounds_of(f for layer in layers for f in layer.features)
    if fitted is None:
        fitted = (fallback() if fallback else None) or NOWHERE
    m = _new_map(fitted)
    for layer in layers:
        _add(m, layer)
    if draw_event:
        _add_draw(m, draw_event)
    m.fit_bounds([list(fitted[0]), list(fitted[1])])
    fig = m.get_root()
    fig.render()
    div = fig.html.render()
    scripts = "\n".join(_SCRIPT_BODY.findall(fig.script.render())) or fig.script.render()
    # folium's HTML and script carry no text of ours unescaped: feature properties and
    # tooltip labels are escaped in _add, and folium writes data with tojson.
    return format_html(
        '<div class="map" role="region" aria-label="{}">{}</div><script nonce="{}">{}</script>',
        label, mark_safe(div), nonce, mark_safe(scripts),
    )  # fmt: skip


def bounds_of(features: Iterable[dict]) -> Bounds | None:
    """The smallest box holding every coordinate of the features, or None if none."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords) -> None:
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in features:
        walk(feature["geometry"]["coordinates"])
    if not xs:
        return None
    # One point (or a straight north-south or east-west run) has no area to fit, and
    # Leaflet would zoom to infinity (NaN coordinates): pad it to about 200 m.
    pad_y = PAD_DEGREES if max(ys) - min(ys) < PAD_DEGREES else 0
    pad_x = PAD_DEGREES if max(xs) - min(xs) < PAD_DEGREES else 0
    return (min(ys) - pad_y, min(xs) - pad_x), (max(ys) + pad_y, max(xs) + pad_x)


def _new_map(bounds: Bounds) -> folium.Map:
    (south, west), (north, east) = bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2], tiles=None, control_scale=True
    )
    # Our own copies only: no CDN, and no jQuery/Bootstrap that our pages do not use.
    m.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css"))]
    if settings.MAP_TILE_URL:
        folium.TileLayer(
            tiles=settings.MAP_TILE_URL, attr=settings.MAP_TILE_ATTRIBUTION or "Map tiles"
        ).add_to(m)
    return m


def _add(m: folium.Map, layer: Layer) -> None:
    fields = [name for name, _label in layer.tooltip]
    labels = [escape(label) for _name, label in layer.tooltip]
    collection = {"type": "FeatureCollection", "features": [_escaped(f) for f in layer.features]}
    folium.GeoJson(
        collection,
        name=layer.name,
        style_function=layer.style_of,
        marker=(
            folium.CircleMarker(radius=layer.circle_radius, fill=True, weight=1)
            if layer.circle_radius
            else None
        ),
        tooltip=(
            folium.GeoJsonTooltip(fields=fields, aliases=labels, labels=any(labels))
            if layer.interactive and fields
            else None
        ),
        **({} if layer.interactive else {"interactive": False}),
    ).add_to(m)
    if layer.labels_from_zoom:
        _Labels(layer.features, from_zoom=layer.labels_from_zoom).add_to(m)


class _Labels(MacroElement):
    """Names written on the map at a point of each feature, shown from a zoom on."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map, labels, fromZoom) {
  var group = L.layerGroup(labels.map(function (l) {
    return L.tooltip({permanent: true, direction: "center", className: "map-label",
                      interactive: false}).setLatLng([l[0], l[1]]).setContent(l[2]);
  }));
  function update() {
    if (map.getZoom() >= fromZoom) { group.addTo(map); } else { group.remove(); }
  }
  map.on("zoomend", update);
  map.whenReady(update);
})({{ this._parent.get_name() }}, {{ this.labels|tojson }}, {{ this.from_zoom|int }});
{% endmacro %}"""
    )

    def __init__(self, features: Sequence[dict], *, from_zoom: int) -> None:
        super().__init__()
        self._name = "Labels"
        self.from_zoom = from_zoom
        self.labels = [
            [lat, lon, escape(str(f["properties"].get("name", "")))]
            for f in features
            if f["properties"].get("name")
            for lon, lat in [label_point(f)]
        ]


def label_point(feature: dict) -> tuple[float, float]:
    """Where a feature's name goes: the middle one of its coordinates (lon, lat)."""
    points: list[tuple[float, float]] = []

    def walk(coords) -> None:
        if coords and isinstance(coords[0], (int, float)):
            points.append((coords[0], coords[1]))
        else:
            for c in coords:
                walk(c)

    walk(feature["geometry"]["coordinates"])
    return points[len(points) // 2]


def _add_draw(m: folium.Map, event: str) -> None:
    from folium.plugins import Draw
    from folium.utilities import JsCode

    # The handler runs when the drawn layer joins the map (folium attaches it before
    # adding the layer), so the page hears of every shape once.
    name = json.dumps(event)
    announce = JsCode(
        f"function () {{ document.dispatchEvent(new CustomEvent({name}, {{detail: {{"
        "geojson: this.toGeoJSON().geometry,"
        " radius: this.getRadius ? this.getRadius() : null}})); }"
    )
    draw = Draw(
        show_geometry_on_click=False,
        draw_options={"polyline": False, "marker": False, "circlemarker": False,
                      "polygon": True, "rectangle": True, "circle": True},
        edit_options={"edit": False},
        on={"add": announce},
    )  # fmt: skip
    draw.default_js = [("leaflet_draw_js", static("vendor/leaflet-draw/leaflet.draw.js"))]
    draw.default_css = [("leaflet_draw_css", static("vendor/leaflet-draw/leaflet.draw.css"))]
    draw.add_to(m)


def _escaped(feature: dict) -> dict:
    """Leaflet's tooltip sets innerHTML from the properties: escape every text in them."""
    properties = {
        key: escape(value) if isinstance(value, str) else value
        for key, value in feature["properties"].items()
    }
    return feature | {"properties": properties}
