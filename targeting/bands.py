"""How a score looks: its band's colour on maps, its CSS class on pages and charts,
the legend, and the map layers of scored streets and wards (drawn by ``core.maps``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.maps import OUTLINE, Layer

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


def street_layers(features: list[dict]) -> list[Layer]:
    """Scored streets: road lines in their band's colour, police.uk map points as circles."""
    points = [f for f in features if f["geometry"]["type"] in POINT_TYPES]
    lines = [f for f in features if f["geometry"]["type"] not in POINT_TYPES]
    tooltip = (("name", _("Street")), ("score", _("Score")))
    return [
        Layer(
            name=_("Streets"),
            features=lines,
            style=lambda f: {"color": _score_colour(f), "weight": 5, "opacity": 0.9},
            tooltip=tooltip,
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
        ),
    ]


def ward_layer(features: list[dict]) -> Layer:
    """Wards filled in their band's colour."""
    return Layer(
        name=_("Wards"),
        features=features,
        style=lambda f: OUTLINE | {"fillColor": _score_colour(f), "fillOpacity": 0.55},
        tooltip=(("name", ""), ("score", "")),
    )
