"""How a score looks: its band's colour on maps, its CSS class on pages and charts,
the legend, and the map layers of scored streets and wards (drawn by ``core.maps``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.maps import OUTLINE, STREET_ZOOM, Layer

# Score bands (0..100) and their colours (ColorBrewer YlOrRd, colour-blind safe); the
# same colours are in targeting.css for the band classes.
BANDS = (
    (80, "#bd0026", "80–100"),
    (60, "#f03b20", "60–79"),
    (40, "#fd8d3c", "40–59"),
    (20, "#fecc5c", "20–39"),
    (0, "#ffffb2", "0–19"),
)
POINT_TYPES = ("Point", "MultiPoint")


def colour(score: float) -> str:
    return next(c for floor, c, _label in BANDS if score >= floor)


def band(score: float) -> str:
    """The CSS class of a score's band (targeting.css colours it; no inline styles)."""
    return f"band-{next(floor for floor, _c, _label in BANDS if score >= floor)}"


def legend() -> list[tuple[str, str]]:
    return [(f"band-{floor}", label) for floor, _c, label in BANDS]


def _score_colour(feature: dict) -> str:
    return colour(feature["properties"]["score"])


def street_layers(features: list[dict], *, labels_from_zoom: int = 0) -> list[Layer]:
    """Scored streets: road lines in their band's colour, police.uk map points as circles;
    with ``labels_from_zoom``, their names are written on the map from that zoom on."""
    points = [f for f in features if f["geometry"]["type"] in POINT_TYPES]
    lines = [f for f in features if f["geometry"]["type"] not in POINT_TYPES]
    tooltip = (("name", _("Street")), ("score", _("Score")))
    return [
        Layer(
            name=_("Streets"),
            features=lines,
            style=lambda f: {"color": _score_colour(f), "weight": 5, "opacity": 0.9},
            tooltip=tooltip,
            labels_from_zoom=labels_from_zoom,
        ),
        Layer(
            name=_("Streets (police.uk map points)"),
            features=points,
            style=lambda f: {
                "color": "#333333",
                "weight": 1,
                "fillColor": _score_colour(f),
                "fillOpacity": 0.9,
            },
            tooltip=tooltip,
            circle_radius=6,
            labels_from_zoom=labels_from_zoom,
        ),
    ]


def output_area_layer(features: list[dict]) -> Layer:
    """Census output areas as thin grey outlines: the shape of the blocks, without tiles."""
    return Layer(
        name=_("Output areas"),
        features=features,
        style={"color": "#777777", "weight": 1, "fill": False, "opacity": 0.6},
        tooltip=(),
        interactive=False,
    )


def nearby_streets_layer(features: list[dict]) -> Layer:
    """Streets around the one shown, small and grey, with their names from street zoom."""
    return Layer(
        name=_("Streets nearby"),
        features=features,
        style={"color": "#555555", "weight": 2, "fillColor": "#ffffff", "fillOpacity": 1},
        tooltip=(("name", ""),),
        circle_radius=3,
        labels_from_zoom=STREET_ZOOM,
    )


def ward_layer(features: list[dict]) -> Layer:
    """Wards filled in their band's colour."""
    return Layer(
        name=_("Wards"),
        features=features,
        style=lambda f: OUTLINE | {"fillColor": _score_colour(f), "fillOpacity": 0.55},
        tooltip=(("name", ""), ("score", "")),
    )
