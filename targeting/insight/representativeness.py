"""Who is and is not being heard: members and survey respondents by geodemographic group
(ONS Output Area Classification supergroup or group) or by Census ethnic group (the five
high-level groups or the 19 detailed ones), against the Census population.

By area classification, a person counts in the group of the output area their postcode
lies in (the postcode's point inside the output area's boundary); people whose postcode
falls in no output area with a boundary are left out, and so are survey responses of
people who have since erased their account. The population of a group is the usual
residents (Census 2021 TS001) of its output areas within the area.

By Acorn (where a force has loaded it), a member counts in the class of their own
postcode; the population of a class is estimated from the output areas' residents shared
equally among their postcodes (``areas.selectors.acorn_population``).

By ethnic group, a member counts in the group they gave, with their consent standing
(``accounts`` Demographics: the answers are the TS021 categories); members who did not
answer, or preferred not to say, are left out. The population is TS021, published per
MSOA: each output area of the area gets its MSOA's mix (``areas.selectors``).

Counts go through ``core.disclosure.suppress_table`` (with complementary suppression
against the total); a coverage ratio is shown only where its count is. Whether a group
is below target is said from the true figures: it gives away only that a count is
small, never how small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from accounts.members.demographics import PREFER_NOT_TO_SAY
from accounts.models import CONFIRMED_MEMBER_SQL, ConsentRecord, Demographics, Member, User
from areas.census import DETAILED, ETHNIC, HIGH_LEVEL
from areas.models import Area, GeodemographicClass, OutputArea, Postcode
from areas.selectors import (
    acorn_population,
    class_value,
    classes_at_level,
    ethnic_population,
    ethnic_shares,
    feature,
    force_of,
    geojson_wgs84,
    output_areas_of_classes,
    output_areas_where_group_lives,
)
from core import disclosure

from . import stats

LEVELS = {
    "supergroup": "Area classification supergroup",
    "group": "Area classification group",
    "acorn_category": "Acorn category",
    "acorn_group": "Acorn group",
    "ethnic": "Census ethnic group",
    "ethnic_detailed": "Census ethnic group, detailed",
}
ETHNIC_LEVELS = ("ethnic", "ethnic_detailed")
# Page level -> the Acorn level (offered where a force has loaded Acorn).
ACORN_LEVELS = {"acorn_category": "category", "acorn_group": "group"}
SURVEY_WINDOW_DAYS = 365
SCALE_LABELS = {
    "trust": "Trust in local police",
    "confidence": "Confidence they deal with local issues",
    "safe_day": "Feel safe in the day",
    "safe_dark": "Feel safe after dark",
}


def _oa_lookup(postcode_alias: str) -> str:
    """SQL: a LATERAL join to the output area covering ``<alias>.point``."""
    oa = OutputArea._meta.db_table
    return (
        f"JOIN LATERAL (SELECT o.id, o.classification_id FROM {oa} o"  # noqa: S608 - table names are ours
        f" WHERE o.boundary IS NOT NULL AND ST_Covers(o.boundary, {postcode_alias}.point)"
        " ORDER BY o.code LIMIT 1) oa ON true"
    )


@dataclass(frozen=True)
class Grouping:
    """Where a member's group is read from: SQL joining the member ``m`` to it, and the
    expression of the finest group (an OAC class id, or an ethnic group key)."""

    join: str
    key: str


OAC_GROUPING = Grouping(
    join=f" JOIN {Postcode._meta.db_table} pc ON pc.id = m.postcode_id " + _oa_lookup("pc"),
    key="oa.classification_id",
)
# Only answers whose consent stands (one active record per item, so no duplicates).
ETHNIC_GROUPING = Grouping(
    join=(
        f" JOIN {Demographics._meta.db_table} d ON d.member_id = m.id"
        f" AND d.ethnic_group <> '' AND d.ethnic_group <> '{PREFER_NOT_TO_SAY}'"
        f" JOIN {ConsentRecord._meta.db_table} cr ON cr.member_id = m.id"
        f" AND cr.item = '{ConsentRecord.Item.ETHNIC_GROUP}' AND cr.withdrawn_at IS NULL"
    ),
    key="d.ethnic_group",
)


# By Acorn, a member counts in the class of their own postcode.
ACORN_GROUPING = Grouping(
    join=f" JOIN {Postcode._meta.db_table} pc ON pc.id = m.postcode_id",
    key="pc.classification_id",
)


def acorn_loaded() -> bool:
    return Postcode.objects.filter(classification__isnull=False).exists()


def levels() -> dict[str, str]:
    """The levels the page offers (Acorn's only where a force has loaded it)."""
    if acorn_loaded():
        return dict(LEVELS)
    return {k: v for k, v in LEVELS.items() if k not in ACORN_LEVELS}


def population_by_class(wards) -> dict[int, int]:
    """Usual residents per (finest) class id of the output areas in ``wards``."""
    out: dict[int, int] = defaultdict(int)
    rows = (
        OutputArea.objects.filter(ward__in=wards, classification__isnull=False)
        .values_list("classification_id", "usual_residents")
        .order_by()
    )
    for class_id, residents in rows:
        out[class_id] += residents or 0
    return dict(out)


def _members_sql(select: str, join: str = "", where: str = "") -> str:
    return (
        f"SELECT {select} FROM {Member._meta.db_table} m"  # noqa: S608 - table names are ours
        f" JOIN {User._meta.db_table} u ON u.id = m.user_id AND u.is_active"
        + join
        + " WHERE m.ward_id = ANY(%s) AND "
        + CONFIRMED_MEMBER_SQL.format(user_id="m.user_id")
        + where
    )


def members_by(grouping: Grouping, ward_ids: list[int]) -> dict[Hashable, int]:
    """Confirmed, active members living in ``ward_ids``, per finest group."""
    sql = _members_sql(
        f"{grouping.key}, count(*)", grouping.join, f" AND {grouping.key} IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql + " GROUP BY 1", [ward_ids])
        return dict(cursor.fetchall())


def members_count(ward_ids: list[int]) -> int:
    """Confirmed, active members living in ``ward_ids``, with a group or not."""
    with connection.cursor() as cursor:
        cursor.execute(_members_sql("count(*)"), [ward_ids])
        return cursor.fetchone()[0]


def _responses_sql(
    grouping: Grouping, select: str, extra_join: str = "", extra_where: str = ""
) -> str:
    from surveys.models import Response

    return (
        f"SELECT {select} FROM {Response._meta.db_table} r"  # noqa: S608 - table names are ours
        f" JOIN {Member._meta.db_table} m ON m.id = r.member_id"
        + grouping.join
        + extra_join
        + " WHERE r.submitted_at >= %s AND r.submitted_at < %s AND r.ward_id = ANY(%s)"
        + f" AND {grouping.key} IS NOT NULL"
        + extra_where
    )


def respondents_by(
    grouping: Grouping, ward_ids: list[int], *, start: datetime, end: datetime
) -> dict[Hashable, int]:
    """Distinct members who submitted a response in [start, end), per finest group."""
    sql = _responses_sql(grouping, f"{grouping.key}, count(DISTINCT r.member_id)") + " GROUP BY 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, ward_ids])
        return dict(cursor.fetchall())


def answers_by(
    grouping: Grouping, ward_ids: list[int], *, start: datetime, end: datetime
) -> dict[str, dict[Hashable, tuple[float, int]]]:
    """Per scale question key, per finest group: (sum, count) of the answers in [start, end)."""
    from surveys.models import Answer, Question

    join = (
        f" JOIN {Answer._meta.db_table} a ON a.response_id = r.id"
        f" JOIN {Question._meta.db_table} q ON q.id = a.question_id"
    )
    sql = (
        _responses_sql(
            grouping,
            f"q.key, {grouping.key}, sum(a.scale_value), count(a.scale_value)",
            join,
            " AND q.key = ANY(%s) AND a.scale_value IS NOT NULL",
        )
        + " GROUP BY 1, 2"
    )
    out: dict[str, dict[Hashable, tuple[float, int]]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, ward_ids, list(SCALE_LABELS)])
        for key, group, total, n in cursor.fetchall():
            out[key][group] = (float(total), n)
    return dict(out)


def _roll_up(by_class: dict[Hashable, float], up: dict[Hashable, Hashable]) -> dict:
    out: dict[int, float] = defaultdict(int)
    for class_id, value in by_class.items():
        if class_id in up:
            out[up[class_id]] += value
    return dict(out)


# --- The page's figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A row of the page: an OAC class or a Census ethnic group."""

    code: str  # "3", "3a", "acorn:1.A"; "asian", "asian_indian"
    name: str
    label: str  # how the page names it: "3 Ethnically Diverse...", "Asian, ...: Indian"
    class_id: int | None = None  # a geodemographic class's id


@dataclass(frozen=True)
class Breakdown:
    """The groups of one level: the rows (in order), each finest group's row, and the
    population of each row within the area."""

    grouping: Grouping
    groups: dict[Hashable, Group]
    up: dict[Hashable, Hashable]
    population: dict[Hashable, int]


def _class_breakdown(wards, level: str) -> Breakdown:
    """By area classification (per output area) or Acorn (per postcode; its population
    estimated by ``areas.selectors.acorn_population``)."""
    acorn = level in ACORN_LEVELS
    scheme = GeodemographicClass.Scheme.ACORN if acorn else GeodemographicClass.Scheme.OAC
    classes = {c.pk: c for c in GeodemographicClass.objects.filter(scheme=scheme)}
    up = classes_at_level(scheme, ACORN_LEVELS.get(level, level))
    finest = acorn_population(wards) if acorn else population_by_class(wards)
    population = {g: round(n) for g, n in _roll_up(finest, up).items() if round(n)}
    order = sorted(population, key=lambda g: classes[g].code)
    groups = {
        g: Group(
            class_value(classes[g]), classes[g].name, f"{classes[g].code} {classes[g].name}", g
        )
        for g in order
    }
    grouping = ACORN_GROUPING if acorn else OAC_GROUPING
    return Breakdown(grouping, groups, up, {g: population[g] for g in order})


def _ethnic_breakdown(wards, level: str) -> Breakdown:
    rows = HIGH_LEVEL if level == "ethnic" else DETAILED
    residents = ethnic_population(wards)
    population = {c.key: round(residents.get(c.key, 0)) for c in rows}
    population = {k: n for k, n in population.items() if n}
    groups = {c.key: Group(c.key, c.name, c.label) for c in rows if c.key in population}
    up = {c.key: (c.parent if level == "ethnic" else c.key) for c in DETAILED}
    return Breakdown(ETHNIC_GROUPING, groups, up, population)


def breakdown(wards, level: str) -> Breakdown:
    return (
        _ethnic_breakdown(wards, level)
        if level in ETHNIC_LEVELS
        else _class_breakdown(wards, level)
    )


@dataclass(frozen=True)
class GroupRow:
    group: Group
    population: int
    population_share: float
    members: int | None  # None: hidden
    members_ratio: float | None
    members_below: bool
    respondents: int | None
    respondents_ratio: float | None
    respondents_below: bool


@dataclass(frozen=True)
class WeightedRow:
    key: str
    label: str
    unweighted: float | None
    weighted: float | None
    n: int | None


@dataclass(frozen=True)
class Representation:
    area: Area
    level: str
    target: float
    rows: list[GroupRow]
    members_total: int | None
    respondents_total: int | None
    weighted: list[WeightedRow]
    start: datetime
    end: datetime
    # By ethnic group: every member of the area, answered or not (None: hidden, or
    # not an ethnic level). ``members_total`` is then those who gave their group.
    members_all: int | None = None

    @property
    def below_target(self) -> list[GroupRow]:
        return [r for r in self.rows if r.members_below]

    @property
    def is_ethnic(self) -> bool:
        return self.level in ETHNIC_LEVELS

    @property
    def is_acorn(self) -> bool:
        return self.level in ACORN_LEVELS

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]


def representation(
    *, area: Area, wards, level: str = "supergroup", target: float, now: datetime | None = None
) -> Representation:
    """The figures of the page for ``area`` (``wards``: its wards in the viewer's scope)."""
    ward_ids = list(wards.values_list("pk", flat=True))
    end = now or timezone.now()
    start = end - timedelta(days=SURVEY_WINDOW_DAYS)
    b = breakdown(wards, level)
    order = list(b.groups)
    members = _roll_up(members_by(b.grouping, ward_ids), b.up)
    respondents = _roll_up(respondents_by(b.grouping, ward_ids, start=start, end=end), b.up)
    m_rows = {r.group: r for r in stats.coverage_rows(b.population, members)}
    r_rows = {r.group: r for r in stats.coverage_rows(b.population, respondents)}
    table = disclosure.suppress_table(
        {g: {"members": int(members.get(g, 0)), "respondents": int(respondents.get(g, 0))}
         for g in order},
        columns=["members", "respondents"],
    )  # fmt: skip
    rows = []
    for g in order:
        shown = table.parts[g]
        m, r = m_rows[g], r_rows[g]
        rows.append(
            GroupRow(
                group=b.groups[g],
                population=b.population[g],
                population_share=m.population_share,
                members=shown["members"],
                members_ratio=m.ratio if shown["members"] is not None else None,
                members_below=m.below(target),
                respondents=shown["respondents"],
                respondents_ratio=r.ratio if shown["respondents"] is not None else None,
                respondents_below=r.below(target),
            )
        )
    return Representation(
        area=area,
        level=level,
        target=target,
        rows=rows,
        members_total=table.total["members"],
        respondents_total=table.total["respondents"],
        weighted=weighted_results(ward_ids, b, start=start, end=end),
        start=start,
        end=end,
        members_all=disclosure.count(members_count(ward_ids)) if level in ETHNIC_LEVELS else None,
    )


def weighted_results(ward_ids: list[int], b: Breakdown, *, start, end) -> list[WeightedRow]:
    """Each scale question's mean, unweighted and post-stratified by group.

    Groups with fewer answers than the disclosure threshold are left out of the
    weighting (their mean is never shown, nor can it be worked out from the others).
    """
    answers = answers_by(b.grouping, ward_ids, start=start, end=end)
    out = []
    for key, label in SCALE_LABELS.items():
        sums: dict[Hashable, float] = defaultdict(float)
        counts: dict[Hashable, int] = defaultdict(int)
        for group, (total, n) in answers.get(key, {}).items():
            if group in b.up:
                sums[b.up[group]] += total
                counts[b.up[group]] += n
        n_all = sum(counts.values())
        usable = {g: c for g, c in counts.items() if disclosure.allows(c)}
        w = stats.post_stratified_mean(b.population, {g: sums[g] for g in usable}, usable)
        out.append(
            WeightedRow(
                key=key,
                label=label,
                unweighted=disclosure.mean(sum(sums.values()), n_all),
                weighted=w.weighted if disclosure.allows(w.n) else None,
                n=disclosure.count(n_all),
            )
        )
    return out


def force_shares(area: Area) -> dict[str, float]:
    """Each ethnic group's share of the residents of ``area``'s whole force (the map's rule)."""
    return ethnic_shares(Area.objects.wards_under(force_of(area)))


def group_output_area_features(wards, groups: list[Group], level: str, *, area: Area) -> list:
    """GeoJSON features (WGS84) of the output areas in ``wards`` where the groups live.

    By area classification: the output areas of the group. By ethnic group: the output
    areas of the MSOAs where the group's share is highest, until they hold half of its residents.
    """
    if level in ETHNIC_LEVELS:
        return _ethnic_features(wards, groups, force=force_of(area))
    classes = GeodemographicClass.objects.in_bulk([g.class_id for g in groups])
    where = output_areas_of_classes(wards, classes.values())
    out = []
    for group in groups:
        rows = (
            where[group.class_id]
            .filter(boundary__isnull=False)
            .annotate(shape=geojson_wgs84("boundary", tolerance_m=5))
            .values_list("code", "shape")
            .order_by("code")
        )
        out += [
            feature(shape, name=f"{code}: {group.name}", group=group.code) for code, shape in rows
        ]
    return out


def _ethnic_features(wards, groups: list[Group], *, force: Area) -> list:
    out = []
    for group in groups:
        rows = (
            output_areas_where_group_lives(wards=wards, key=group.code, force=force)
            .filter(boundary__isnull=False)
            .annotate(shape=geojson_wgs84("boundary", tolerance_m=5))
            .values_list("code", "shape")
            .order_by("code")
        )
        label = ETHNIC[group.code].label
        out += [feature(shape, name=f"{code}: {label}", group=group.code) for code, shape in rows]
    return out
