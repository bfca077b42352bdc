"""Who is and is not being heard: members and survey respondents by geodemographic group
(ONS Output Area Classification supergroup or group) against the Census population.

A person counts in the group of the output area their postcode lies in (the postcode's
point inside the output area's boundary); people whose postcode falls in no output area
with a boundary are left out, and so are survey responses of people who have since
erased their account. The population of a group is the usual residents (Census 2021
TS001) of its output areas within the area.

Counts go through ``core.disclosure.suppress_table`` (with complementary suppression
against the total); a coverage ratio is shown only where its count is. Whether a group
is below target is said from the true figures: it gives away only that a count is
small, never how small.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from accounts.models import CONFIRMED_MEMBER_SQL, Member, User
from areas.models import Area, GeodemographicClass, OutputArea, Postcode
from areas.selectors import feature, geojson_wgs84
from core import disclosure

from . import stats

LEVELS = {"supergroup": "Supergroup", "group": "Group"}
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


def _classes() -> dict[int, GeodemographicClass]:
    return {c.pk: c for c in GeodemographicClass.objects.filter(scheme="oac")}


def _at_level(classes: dict[int, GeodemographicClass], level: str) -> dict[int, int]:
    """Each class id -> the id of its ancestor (or itself) at ``level``."""
    up: dict[int, int] = {}
    for pk, c in classes.items():
        node = c
        while node is not None and node.level != level:
            node = classes.get(node.parent_id) if node.parent_id else None
        if node is not None:
            up[pk] = node.pk
    return up


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


def members_by_class(ward_ids: list[int]) -> dict[int, int]:
    """Confirmed, active members living in ``ward_ids``, per class of their output area."""
    sql = (
        f"SELECT oa.classification_id, count(*) FROM {Member._meta.db_table} m"  # noqa: S608 - table names are ours
        f" JOIN {User._meta.db_table} u ON u.id = m.user_id AND u.is_active"
        f" JOIN {Postcode._meta.db_table} pc ON pc.id = m.postcode_id "
        + _oa_lookup("pc")
        + " WHERE m.ward_id = ANY(%s) AND oa.classification_id IS NOT NULL AND "
        + CONFIRMED_MEMBER_SQL.format(user_id="m.user_id")
        + " GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ward_ids])
        return dict(cursor.fetchall())


def _responses_sql(select: str, extra_join: str = "", extra_where: str = "") -> str:
    from surveys.models import Response

    return (
        f"SELECT {select} FROM {Response._meta.db_table} r"  # noqa: S608 - table names are ours
        f" JOIN {Member._meta.db_table} m ON m.id = r.member_id"
        f" JOIN {Postcode._meta.db_table} pc ON pc.id = m.postcode_id "
        + _oa_lookup("pc")
        + extra_join
        + " WHERE r.submitted_at >= %s AND r.submitted_at < %s AND r.ward_id = ANY(%s)"
        + " AND oa.classification_id IS NOT NULL"
        + extra_where
    )


def respondents_by_class(ward_ids: list[int], *, start: datetime, end: datetime) -> dict[int, int]:
    """Distinct members who submitted a response in [start, end), per class."""
    sql = _responses_sql("oa.classification_id, count(DISTINCT r.member_id)") + " GROUP BY 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, ward_ids])
        return dict(cursor.fetchall())


def answers_by_class(
    ward_ids: list[int], *, start: datetime, end: datetime
) -> dict[str, dict[int, tuple[float, int]]]:
    """Per scale question key, per class: (sum, count) of the answers in [start, end)."""
    from surveys.models import Answer, Question

    join = (
        f" JOIN {Answer._meta.db_table} a ON a.response_id = r.id"
        f" JOIN {Question._meta.db_table} q ON q.id = a.question_id"
    )
    sql = (
        _responses_sql(
            "q.key, oa.classification_id, sum(a.scale_value), count(a.scale_value)",
            join,
            " AND q.key = ANY(%s) AND a.scale_value IS NOT NULL",
        )
        + " GROUP BY 1, 2"
    )
    out: dict[str, dict[int, tuple[float, int]]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, ward_ids, list(SCALE_LABELS)])
        for key, class_id, total, n in cursor.fetchall():
            out[key][class_id] = (float(total), n)
    return dict(out)


def _roll_up(by_class: dict[int, float], up: dict[int, int]) -> dict[int, float]:
    out: dict[int, float] = defaultdict(int)
    for class_id, value in by_class.items():
        if class_id in up:
            out[up[class_id]] += value
    return dict(out)


# --- The page's figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    group: GeodemographicClass
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

    @property
    def below_target(self) -> list[GroupRow]:
        return [r for r in self.rows if r.members_below]


def representation(
    *, area: Area, wards, level: str = "supergroup", target: float, now: datetime | None = None
) -> Representation:
    """The figures of the page for ``area`` (``wards``: its wards in the viewer's scope)."""
    ward_ids = list(wards.values_list("pk", flat=True))
    end = now or timezone.now()
    start = end - timedelta(days=SURVEY_WINDOW_DAYS)
    classes = _classes()
    up = _at_level(classes, level)
    population = {g: int(n) for g, n in _roll_up(population_by_class(wards), up).items() if n}
    members = _roll_up(members_by_class(ward_ids), up)
    respondents = _roll_up(respondents_by_class(ward_ids, start=start, end=end), up)
    order = sorted(population, key=lambda g: classes[g].code)
    population = {g: population[g] for g in order}
    m_rows = {r.group: r for r in stats.coverage_rows(population, members)}
    r_rows = {r.group: r for r in stats.coverage_rows(population, respondents)}
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
                group=classes[g],
                population=population[g],
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
        weighted=weighted_results(ward_ids, population, up, start=start, end=end),
        start=start,
        end=end,
    )


def weighted_results(
    ward_ids: list[int], population: dict[int, int], up: dict[int, int], *, start, end
) -> list[WeightedRow]:
    """Each scale question's mean, unweighted and post-stratified by group.

    Groups with fewer answers than the disclosure threshold are left out of the
    weighting (their mean is never shown, nor can it be worked out from the others).
    """
    answers = answers_by_class(ward_ids, start=start, end=end)
    out = []
    for key, label in SCALE_LABELS.items():
        sums: dict[int, float] = defaultdict(float)
        counts: dict[int, int] = defaultdict(int)
        for class_id, (total, n) in answers.get(key, {}).items():
            if class_id in up:
                sums[up[class_id]] += total
                counts[up[class_id]] += n
        n_all = sum(counts.values())
        usable = {g: c for g, c in counts.items() if disclosure.allows(c)}
        w = stats.post_stratified_mean(population, {g: sums[g] for g in usable}, usable)
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


def group_output_area_features(wards, groups: list[GeodemographicClass], level: str) -> list:
    """GeoJSON features (WGS84) of the output areas in ``wards`` of the given groups."""
    classes = _classes()
    up = _at_level(classes, level)
    wanted = {g.pk: g for g in groups}
    members_of = [c for c, top in up.items() if top in wanted]
    rows = (
        OutputArea.objects.filter(
            ward__in=wards, classification_id__in=members_of, boundary__isnull=False
        )
        .annotate(shape=geojson_wgs84("boundary", tolerance_m=5))
        .values_list("code", "classification_id", "shape")
        .order_by("code")
    )
    return [
        feature(shape, name=f"{code}: {wanted[up[class_id]].name}", group=wanted[up[class_id]].code)
        for code, class_id, shape in rows
    ]
