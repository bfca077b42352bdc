"""The set-up pages' maps and chart (core.maps, core.charts): built here, drawn by templates."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from accounts.permissions import wards_for
from areas.models import Street
from areas.selectors import area_outline_features, areas_bounds, feature, geojson_wgs84
from core import charts
from core.maps import OUTLINE, Layer, map_html

from .models import SetUp
from .selectors import progress, visits_by_street

DRAW_EVENT = "setup-shape-drawn"
KNOCKED, WAITING, TAKEN = "#1b7837", "#b35806", "#5e3c99"


def planning_map(request: HttpRequest) -> SafeString:
    """The supervisor's wards, with a draw control for a shape (static/js/setup_map.js)."""
    wards = list(wards_for(request.user))
    return map_html(
        layers=[Layer(name="Wards", features=area_outline_features(wards))],
        label="Map of your wards: draw the set-up's area",
        nonce=request.csp_nonce,
        fallback=lambda: areas_bounds(wards),
        draw_event=DRAW_EVENT,
    )


def _street_features(street_ids: list[int], **per_street: dict) -> list[dict]:
    rows = (
        Street.objects.filter(pk__in=street_ids)
        .annotate(geojson=geojson_wgs84("geometry", tolerance_m=5))
        .values_list("pk", "name", "geojson")
    )
    return [
        feature(geojson, name=name, **{k: v.get(pk, "") for k, v in per_street.items()})
        for pk, name, geojson in rows
    ]


def _layers(features: list[dict], colour) -> list[Layer]:
    points = [f for f in features if "Point" in f["geometry"]["type"]]
    lines = [f for f in features if "Point" not in f["geometry"]["type"]]
    tooltip = (("name", "Street"), ("state", "Now"))
    return [
        Layer(name="Streets", features=lines, tooltip=tooltip,
              style=lambda f: {"color": colour(f), "weight": 5, "opacity": 0.9}),
        Layer(name="Streets (map points)", features=points, tooltip=tooltip, circle_radius=6,
              style=lambda f: {"color": "#333333", "weight": 1, "fillColor": colour(f),
                               "fillOpacity": 0.9}),
    ]  # fmt: skip


def setup_map(setup: SetUp, *, nonce: str) -> SafeString:
    """The set-up's streets: knocked (green) or not yet (orange), and its wards' outlines."""
    ids = list(setup.setup_streets.values_list("street_id", flat=True))
    knocks = dict(visits_by_street(setup))
    state = {pk: (f"{knocks[pk]} knocks" if pk in knocks else "not knocked yet") for pk in ids}
    features = _street_features(ids, state=state)
    wards = list(setup.wards.all())
    outline = Layer(
        name="Wards", features=area_outline_features(wards), style=OUTLINE | {"fillOpacity": 0.03}
    )
    return map_html(
        layers=[outline, *_layers(features, lambda f: WAITING if "not" in f["properties"]["state"]
                                  else KNOCKED)],
        label=f"Map of the streets of {setup.name}",
        nonce=nonce,
        fallback=lambda: areas_bounds(wards),
    )  # fmt: skip


def work_map(setup: SetUp, rows: list, *, nonce: str) -> SafeString:
    """The work list's streets: taken by a colleague today (purple), or to knock."""
    state = {r.street.pk: (f"taken by {r.taken_by}" if r.taken_by else f"#{i}")
             for i, r in enumerate(rows, start=1)}  # fmt: skip
    features = _street_features(list(state), state=state)
    return map_html(
        layers=_layers(features, lambda f: TAKEN if "taken" in f["properties"]["state"]
                       else WAITING),
        label=f"Map of the work list of {setup.name}",
        nonce=nonce,
        fallback=lambda: areas_bounds(list(setup.wards.all())),
    )  # fmt: skip


def progress_chart(setup: SetUp) -> charts.Chart | None:
    """Doors knocked, registrations and surveys by day."""
    days = progress(setup).by_day
    if not days:
        return None
    return charts.Chart(
        kind=charts.Kind.BARS,
        id="setup-progress",
        title=f"Visits of {setup.name} by day",
        description=", ".join(f"{date_format(d, 'j M')}: {n} knocks" for d, n, _r, _s in days),
        caption="Visits by day",
        heading="Day",
        rows=[charts.Row(date_format(d, "j F Y"), axis=date_format(d, "j M")) for d, *_ in days],
        columns=[
            charts.Series("Doors knocked", [charts.Value(n) for _d, n, _r, _s in days]),
            charts.Series("Registered", [charts.Value(r) for _d, _n, r, _s in days]),
            charts.Series("Surveys", [charts.Value(s) for _d, _n, _r, s in days]),
        ],
    )
