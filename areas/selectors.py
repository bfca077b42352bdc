"""Reads about places: postcode lookup, point -> area, and the map features of areas."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON, GeomOutputGeoFunc, Transform
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db import connection
from django.db.models import Q, Sum, Value
from django.utils.translation import gettext_lazy as _

from core.maps import Bounds

from .census import HIGH_LEVEL
from .models import (
    WGS84,
    Area,
    GeodemographicClass,
    Msoa,
    OutputArea,
    Postcode,
    Street,
    street_label,
)

COORDINATE_DECIMALS = 5  # about 1 m

# Outward code: A9, A99, AA9, AA99, A9A, AA9A; inward code: 9AA.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(text: str) -> str | None:
    """``' hu1  1aa '`` -> ``'HU1 1AA'``; None when it cannot be a UK postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _POSTCODE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


class PostcodeStatus(StrEnum):
    FOUND = "found"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    OUTSIDE = "outside"


MESSAGES = {
    PostcodeStatus.MALFORMED: _(
        "That does not look like a UK postcode. Check it and try again, for example HU1 1AA."
    ),
    PostcodeStatus.UNKNOWN: _(
        "We could not find that postcode. Check it is typed correctly; "
        "new postcodes can take a few months to appear."
    ),
    PostcodeStatus.OUTSIDE: _(
        "That postcode is outside the area we cover. "
        "Your own police force may run a similar service."
    ),
}


@dataclass(frozen=True)
class PostcodeResult:
    status: PostcodeStatus
    text: str
    postcode: Postcode | None = None

    @property
    def ok(self) -> bool:
        return self.status is PostcodeStatus.FOUND

    @property
    def normalised(self) -> str | None:
        return normalise_postcode(self.text)

    @property
    def ward(self) -> Area | None:
        return self.postcode.ward if self.postcode else None

    @property
    def point(self) -> Point | None:
        return self.postcode.point if self.postcode else None

    @property
    def message(self) -> str:
        return "" if self.ok else str(MESSAGES[self.status])


def postcode_lookup(text: str) -> PostcodeResult:
    """Resolve what someone typed to a postcode in the force area.

    Says whether the text is malformed, unknown, or a real postcode outside the
    force area: a postcode stored without a ward, or one whose outward code (``DN4``)
    has no postcode in the force at all.
    """
    code = normalise_postcode(text)
    if code is None:
        return PostcodeResult(PostcodeStatus.MALFORMED, text)
    postcode = Postcode.objects.select_related("ward", "ward__parent").filter(code=code).first()
    if postcode is not None:
        if postcode.ward is None:
            return PostcodeResult(PostcodeStatus.OUTSIDE, text, postcode)
        return PostcodeResult(PostcodeStatus.FOUND, text, postcode)
    outward = code.split(" ")[0]
    if not Postcode.objects.filter(outward=outward, ward__isnull=False).exists():
        return PostcodeResult(PostcodeStatus.OUTSIDE, text)
    return PostcodeResult(PostcodeStatus.UNKNOWN, text)


def ward_for_point(point: Point) -> Area | None:
    """The ward covering a point (any SRID), or None outside the force."""
    return (
        Area.objects.filter(level=Area.Level.WARD, boundary__covers=point)
        .select_related("parent")
        .first()
    )


# --- Map features ---------------------------------------------------------------------------


class _SimplifyPreserveTopology(GeomOutputGeoFunc):
    function = "ST_SimplifyPreserveTopology"


def geojson_wgs84(field: str, *, tolerance_m: float) -> AsGeoJSON:
    """An expression: the geometry in ``field`` (metres) simplified to ``tolerance_m``,
    in WGS84, as GeoJSON to about a metre: what a map on a phone needs, and no more."""
    simplified = _SimplifyPreserveTopology(field, Value(tolerance_m))
    return AsGeoJSON(Transform(simplified, WGS84), precision=COORDINATE_DECIMALS)


def feature(geojson: str, **properties) -> dict:
    return {"type": "Feature", "geometry": json.loads(geojson), "properties": properties}


def area_outline_features(areas: Iterable[Area]) -> list[dict]:
    """GeoJSON features of the areas' simplified WGS84 boundaries (name and code)."""
    rows = (
        Area.objects.filter(pk__in=[a.pk for a in areas], boundary_simple__isnull=False)
        .annotate(outline=AsGeoJSON("boundary_simple", precision=COORDINATE_DECIMALS))
        .order_by("name")
        .values_list("name", "code", "outline")
    )
    return [feature(outline, name=name, code=code) for name, code, outline in rows]


def output_area_features(wards: Iterable[Area], *, tolerance_m: float = 5) -> list[dict]:
    """The outlines of the wards' census output areas (code only): on a map without
    background tiles they show the shape of the streets' blocks."""
    rows = (
        OutputArea.objects.filter(ward__in=[w.pk for w in wards], boundary__isnull=False)
        .annotate(outline=geojson_wgs84("boundary", tolerance_m=tolerance_m))
        .order_by("code")
        .values_list("code", "outline")
    )
    return [feature(outline, name="", code=code) for code, outline in rows]


def streets_near_features(street: Street, *, metres: float = 400) -> list[dict]:
    """The other streets and places within ``metres`` of a street, by name (street names
    are public): what a map of one street shows around it so it can be found."""
    rows = (
        Street.objects.filter(geometry__dwithin=(street.geometry, D(m=metres)))
        .exclude(pk=street.pk)
        .annotate(geojson=geojson_wgs84("geometry", tolerance_m=5))
        .values_list("name", "kind", "near__name", "geojson")
    )
    return [
        feature(geojson, name=street_label(name, near=near if kind == Street.Kind.PLACE else None))
        for name, kind, near, geojson in rows
    ]


def areas_bounds(areas: Iterable[Area]) -> Bounds | None:
    """The box (WGS84) holding the areas and the areas under them, for a map with nothing
    else to fit: a force stored without its own boundary still has its wards'."""
    extent = Area.objects.at_or_below([a.pk for a in areas]).aggregate(e=Extent("boundary_simple"))
    if extent["e"] is None:
        return None
    west, south, east, north = extent["e"]
    return (south, west), (north, east)


# --- Census ethnic group (TS021, per MSOA) ---------------------------------------------------


def force_of(area: Area) -> Area:
    """The root of ``area``'s tree (the force)."""
    while area.parent_id is not None:
        area = area.parent
    return area


def _residents_by_msoa(wards) -> dict[int, int]:
    """Usual residents of the output areas in ``wards``, per MSOA of their LSOA."""
    rows = (
        OutputArea.objects.filter(ward__in=wards, lsoa__msoa__isnull=False)
        .values("lsoa__msoa_id")
        .annotate(n=Sum("usual_residents"))
        .order_by()
    )
    return {r["lsoa__msoa_id"]: r["n"] or 0 for r in rows}


def ethnic_population(wards) -> dict[str, float]:
    """Residents per ethnic group key (``areas.census``, high-level and detailed) of the
    output areas in ``wards``.

    TS021 is published per MSOA: each output area is given its MSOA's mix, in
    proportion to its usual residents (TS001). Output areas whose LSOA has no MSOA with
    ethnic groups count in no group.
    """
    residents = _residents_by_msoa(wards)
    out: dict[str, float] = {}
    for msoa in Msoa.objects.filter(pk__in=list(residents)).exclude(usual_residents=0):
        for key, n in msoa.ethnic_groups.items():
            out[key] = out.get(key, 0.0) + residents[msoa.pk] * n / msoa.usual_residents
    return out


def ethnic_shares(wards) -> dict[str, float]:
    """The share of the residents of ``wards`` in each ethnic group (empty without data)."""
    population = ethnic_population(wards)
    total = sum(population.get(c.key, 0.0) for c in HIGH_LEVEL)
    return {key: n / total for key, n in population.items()} if total else {}


# Where a community "lives": the MSOAs where its share of residents is highest, taken
# in that order until they hold this part of its residents in the chosen wards. Small
# groups are spread unevenly, so "above the force share" took in 920 of Humberside's
# 3,117 output areas for Pakistani residents; a fixed multiple of the force share
# would never select a majority group.
CONCENTRATION = 0.5


def output_areas_where_group_lives(*, wards, key: str, force: Area | None = None):
    """The output areas in ``wards`` of the MSOAs with the highest share of residents in
    the ethnic group ``key`` that together hold half (CONCENTRATION) of that group's
    residents in ``wards``: the one rule of "where a community named in the Census
    lives" (insight maps and set-ups alike). ``force`` is accepted for the callers that
    also show the group's share across the force; the rule does not need it."""
    residents = _residents_by_msoa(wards)
    in_group = {}
    for msoa in Msoa.objects.filter(pk__in=list(residents)).exclude(usual_residents=0):
        share = msoa.share_of(key) or 0.0
        if share > 0:
            in_group[msoa.pk] = (share, residents[msoa.pk] * share)
    wanted = CONCENTRATION * sum(n for _share, n in in_group.values())
    above, held = [], 0.0
    for pk, (_share, n) in sorted(in_group.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if held >= wanted:
            break
        above.append(pk)
        held += n
    return OutputArea.objects.filter(ward__in=wards, lsoa__msoa__in=above)


# --- Geodemographic classes: where a class lives ---------------------------------------------


ACORN_PREFIX = "acorn:"


def class_value(group: GeodemographicClass) -> str:
    """How forms and links name a class: its code for the ONS area classification,
    "acorn:<code>" for Acorn (the two schemes share codes such as "1")."""
    acorn = group.scheme == GeodemographicClass.Scheme.ACORN
    return f"{ACORN_PREFIX}{group.code}" if acorn else group.code


def class_and_below(group: GeodemographicClass) -> list[int]:
    """The ids of a class and every class under it (supergroup > group > subgroup; Acorn
    category > group > type)."""
    return list(
        GeodemographicClass.objects.filter(
            Q(pk=group.pk) | Q(parent=group) | Q(parent__parent=group)
        ).values_list("pk", flat=True)
    )


def postcode_output_areas(wards) -> list[tuple[int, int | None]]:
    """(output area id, the postcode's Acorn class id or None) for every postcode whose
    point lies in an output area (with a boundary) of ``wards``."""
    oa, pc = OutputArea._meta.db_table, Postcode._meta.db_table
    sql = (
        f"SELECT o.id, p.classification_id FROM {pc} p"  # noqa: S608 - table names are ours
        f" JOIN LATERAL (SELECT id, ward_id FROM {oa} WHERE boundary IS NOT NULL"
        " AND ST_Covers(boundary, p.point) ORDER BY code LIMIT 1) o ON true"
        " WHERE o.ward_id = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(wards.values_list("pk", flat=True))])
        return cursor.fetchall()


def acorn_population(wards) -> dict[int, float]:
    """Estimated usual residents per Acorn class (finest, as loaded: types) in ``wards``.

    Acorn is published per postcode and Code-Point Open says nothing of how many people
    live at one: each output area's residents (TS001) are shared equally among the
    postcodes lying in it, and each postcode's share counts in its Acorn class."""
    pairs = postcode_output_areas(wards)
    per_oa: dict[int, int] = {}
    for oa_id, _cls in pairs:
        per_oa[oa_id] = per_oa.get(oa_id, 0) + 1
    residents = dict(
        OutputArea.objects.filter(pk__in=list(per_oa)).values_list("pk", "usual_residents")
    )
    out: dict[int, float] = {}
    for oa_id, cls in pairs:
        if cls is not None and residents.get(oa_id):
            out[cls] = out.get(cls, 0.0) + residents[oa_id] / per_oa[oa_id]
    return out


def output_areas_of_class(wards, group: GeodemographicClass):
    """The output areas of ``wards`` where the geodemographic ``group`` lives: by ONS area
    classification, the output areas classed in it; by Acorn (per postcode), the output
    areas where more of the postcodes are in it than in any other class of its level.
    The one rule for the insight maps and set-ups."""
    return output_areas_of_classes(wards, [group])[group.pk]


def output_areas_of_classes(wards, groups: Iterable[GeodemographicClass]) -> dict:
    """:func:`output_areas_of_class` for several groups (class id -> output areas), with
    the postcodes of ``wards`` placed in output areas once for all the Acorn ones."""
    out = {}
    pairs = None
    for group in groups:
        if group.scheme == GeodemographicClass.Scheme.OAC:
            members = class_and_below(group)
            out[group.pk] = OutputArea.objects.filter(ward__in=wards, classification_id__in=members)
            continue
        if pairs is None:
            pairs = postcode_output_areas(wards)
        level_of = classes_at_level(group.scheme, group.level)
        counts: dict[int, dict[int, int]] = {}
        for oa_id, cls in pairs:
            top = level_of.get(cls) if cls is not None else None
            if top is not None:
                counts.setdefault(oa_id, {})
                counts[oa_id][top] = counts[oa_id].get(top, 0) + 1
        chosen = [
            oa_id
            for oa_id, by in counts.items()
            if by.get(group.pk, 0) and by.get(group.pk, 0) == max(by.values())
        ]
        out[group.pk] = OutputArea.objects.filter(pk__in=chosen)
    return out


def classes_at_level(scheme: str, level: str) -> dict[int, int]:
    """Each class id of ``scheme`` -> the id of its ancestor (or itself) at ``level``."""
    classes = {c.pk: c for c in GeodemographicClass.objects.filter(scheme=scheme)}
    up: dict[int, int] = {}
    for pk, c in classes.items():
        node = c
        while node is not None and node.level != level:
            node = classes.get(node.parent_id) if node.parent_id else None
        if node is not None:
            up[pk] = node.pk
    return up
