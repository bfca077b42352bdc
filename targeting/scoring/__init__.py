"""Street and ward scores, computed set-based in PostgreSQL/PostGIS.

For each period (a month with crime data) every street and every ward gets six
components, each 0..1 where 1 means most in need, and a score 0..100:

harm
    Crimes weighted by their category's harm weight, as a monthly average over the
    harm window (``harm_months`` ending with the period); for wards per 1,000
    residents. The component is the share of the force's streets (wards) with no
    more harm: the worst street is 1, a street without crime 0.
trend
    The period's crimes against the street's own baseline (the ``baseline_months``
    before it that have data), by the exact conditional binomial test of two Poisson
    counts: with ``x`` crimes this month and ``y`` in ``k`` baseline months,
    p = P(X >= x) for X ~ Binomial(x + y, 1 / (1 + k)). A rise counts only when
    p < ``trend_alpha`` and x >= 3; the component is then log2 of the ratio over 2
    (twice the usual level 0.5, four times or more 1); otherwise 0. Null without a
    baseline. Raw percentage change is never used: 2 crimes after 1 is not a rise.
public concern
    How much of the harm here is of the kinds residents name among their priorities
    or concerns: the sum over priorities of (share of respondents naming it) x (share
    of the harm in its categories). Respondents of the street when there are enough
    to be shown (``core.disclosure.threshold``), else of the ward. Null without responses.
confidence gap
    (force mean - local mean) / 2 of the trust and confidence answers (1..5), capped
    to 0..1. Null without responses.
vulnerability
    (10 - decile) / 9 of the household-weighted IMD 2019 decile of the output areas
    the street touches (ward: its output areas). Null without deprivation data.
    The output area classification is never scored: it is built partly from
    ethnicity and country of birth.
engagement gap
    1 - (members per 100 households) / target, capped to 0..1, over the output areas
    the street touches (members by the output area holding their postcode). Null
    where households are unknown.

score = 100 x sum(weight x component) / sum(weight), over the components that are
not null: a component without data leaves the score rather than pretending.

People data (members, survey responses) are taken as they were at the end of the
period, except for the latest period, which uses them as they are now: crime data is
published about two months late, and what to do next depends on today's residents.

No special-category data (ethnicity, religion, disability, community groups) is read.
"""

from __future__ import annotations

import calendar
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, connections, transaction
from django.utils import timezone

from areas.models import Area
from core import disclosure

from .. import actions, page_cache, survey_inputs
from ..models import ASB_SLUG, ScoringSettings
from . import sql


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> datetime:
    last = calendar.monthrange(day.year, day.month)[1]
    return timezone.make_aware(datetime.combine(date(day.year, day.month, last), time.max))


@dataclass(frozen=True)
class PeriodPlan:
    """What one period's scoring reads."""

    period: date
    window: list[date]
    baseline: list[date]
    as_of: datetime
    survey_since: datetime


def data_months() -> list[date]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT month FROM targeting_crime ORDER BY month")
        return [row[0] for row in cursor.fetchall()]


def plan(period: date, months: Sequence[date], settings: ScoringSettings) -> PeriodPlan:
    have = set(months)
    window = [m for m in (add_months(period, -i) for i in range(settings.harm_months)) if m in have]
    baseline = [
        m
        for m in (add_months(period, -i) for i in range(1, settings.baseline_months + 1))
        if m in have
    ]
    latest = max(months) if months else period
    as_of = timezone.now() if period >= latest else month_end(period)
    since = as_of - timedelta(days=round(settings.survey_months * 365.25 / 12))
    return PeriodPlan(period, sorted(window) or [period], sorted(baseline), as_of, since)


# --- SQL ------------------------------------------------------------------------------------


def _component_sum(weights: dict[str, float]) -> tuple[str, str]:
    """SQL for sum(weight x component) and sum(weight) over non-null components."""
    parts = [f"{float(w)!r} * coalesce({name}, 0)" for name, w in weights.items()]
    totals = [
        f"CASE WHEN {name} IS NULL THEN 0 ELSE {float(w)!r} END" for name, w in weights.items()
    ]
    return " + ".join(parts), " + ".join(totals)


def _with_components(base: str) -> str:
    """A query over the table ``base`` adding the six components."""
    return f"""
        SELECT b.*,
               CASE WHEN b.harm_weighted > 0
                    THEN cume_dist() OVER (PARTITION BY b.force_id ORDER BY b.harm_weighted)
                    ELSE 0 END AS harm,
               {sql.COMPONENTS}
          FROM {base} b
    """  # noqa: S608 - the table name is ours, not input


def _insert_scores(cursor, kind: str, params: dict, weights: dict[str, float]) -> int:
    """Replace the period's scores of ``kind``: the rows are made in a temporary table of
    the same shape, their actions set there, and only then written, once each."""
    inner = _with_components(f"score_{kind}_base")
    weighted, total = _component_sum(weights)
    if kind == "street":
        table, unit = "targeting_streetscore", "c.street_id"
        extra_columns = "street_id, ward_id, rank_in_ward, count_in_ward"
        extra_values = (
            "c.street_id, c.ward_id, row_number() OVER (PARTITION BY c.ward_id "
            "ORDER BY c.score DESC, c.harm_weighted DESC, c.street_id), "
            "count(*) OVER (PARTITION BY c.ward_id)"
        )
    else:
        table, unit = "targeting_wardscore", "c.ward_id"
        extra_columns = "ward_id, residents, rank_in_district, count_in_district"
        extra_values = (
            "c.ward_id, c.residents, row_number() OVER (PARTITION BY c.district_id "
            "ORDER BY c.score DESC, c.harm_weighted DESC, c.ward_id), "
            "count(*) OVER (PARTITION BY c.district_id)"
        )
    rows = f"score_{kind}_rows"
    # The rows' id is their unit's (the rules tell units apart by it); the table's own
    # ids are given when the rows are written.
    cursor.execute(
        f"""
        DROP TABLE IF EXISTS pg_temp.{rows};
        CREATE TEMP TABLE {rows} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP;
        INSERT INTO {rows} (id, {extra_columns}, {sql.SHARED_COLUMNS})
        SELECT {unit}, {extra_values}, {sql.SHARED_VALUES.format(unit=unit)}
          FROM (SELECT s.*,
                       CASE WHEN ({total}) > 0 THEN 100.0 * ({weighted}) / ({total}) ELSE 0 END
                           AS score
                  FROM ({inner}) s) c;
        ANALYZE {rows};
        """,  # noqa: S608 - table names and weights are ours, not input
        params,
    )
    _set_actions(cursor, kind, params)
    cursor.execute(
        f"""
        DELETE FROM {table}
         WHERE period = %(period)s AND ward_id IN (SELECT ward_id FROM score_units)
        """,  # noqa: S608 - the table name is ours
        params,
    )
    cursor.execute(
        f"INSERT INTO {table} ({extra_columns}, {sql.SHARED_COLUMNS}) "  # noqa: S608 - ours
        f"SELECT {extra_columns}, {sql.SHARED_COLUMNS} FROM {rows} ORDER BY id"
    )
    return cursor.rowcount


# --- Actions ------------------------------------------------------------------------------


def _set_actions(cursor, kind: str, params: dict) -> None:
    """The period's actions, set on its rows before they are written (score_<kind>_rows)."""
    # The rules, their thresholds and the levels they apply at are in targeting.actions.
    cursor.execute(
        actions.actions_sql(level=kind, table=f"score_{kind}_rows", unit=f"{kind}_id"),
        params | actions.actions_params(),
    )


# --- Entry points -------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodResult:
    period: date
    streets: int
    wards: int


def _months_read(p: PeriodPlan) -> list[date]:
    return sorted(set(p.window) | set(p.baseline) | {p.period})


def compute_period(
    cursor,
    period: date,
    months: Sequence[date],
    settings: ScoringSettings,
    *,
    planned: PeriodPlan | None = None,
    buckets: survey_inputs.SurveyBuckets | None = None,
) -> PeriodResult:
    p = planned or plan(period, months, settings)
    params = {
        "ward": Area.Level.WARD,
        "period": period,
        "window": p.window,
        "window_months": len(p.window),
        "baseline": p.baseline,
        "baseline_months": len(p.baseline),
        "months": _months_read(p),
        "as_of": p.as_of,
        "asb": ASB_SLUG,
        "alpha": settings.trend_alpha,
        "target": settings.engagement_target,
        # A street's respondents count only when there are enough to be shown; below
        # that, the ward's speak for it.
        "min_respondents": disclosure.threshold(),
    }
    cursor.execute(sql.PERIOD_INPUTS, params)
    survey_inputs.load(cursor, since=p.survey_since, as_of=p.as_of, buckets=buckets)
    weights = settings.component_weights()
    params["weights"] = json.dumps(weights)
    counts = {}
    for kind, unit, units, base in (
        ("street", "street_id", sql.STREET_UNITS, sql.STREET_BASE),
        ("ward", "ward_id", sql.WARD_UNITS, sql.WARD_BASE),
    ):
        cursor.execute(sql.STATS.format(kind=kind, unit=unit), params)
        cursor.execute(sql.SURVEY.format(kind=kind, units=units), params | {"kind": kind})
        cursor.execute(base, params)
        counts[kind] = _insert_scores(cursor, kind, params, weights)
    return PeriodResult(period, counts["street"], counts["ward"])


def _on_own_connection(read: Callable[[], list]) -> list:
    """``read()`` in this thread, on a database connection of its own, closed after."""
    try:
        return read()
    finally:
        connections.close_all()  # this thread's


def _prepare(cursor, plans: list[PeriodPlan], forces, buckets, fetched=None) -> tuple | None:
    """What the periods of ``plans`` read, made once for the connection: its temporary
    tables; the survey answers read (``fetched``), to be shared with another connection.

    The survey answers are read while PostgreSQL makes the rest (other connections, on
    the other core), unless the run is inside a transaction (a test's), whose rows
    other connections cannot see.
    """
    reads = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        if fetched is None and not connection.in_atomic_block and survey_inputs.surveys_ready():
            reads = [pool.submit(_on_own_connection, r) for r in (buckets.shares, buckets.means)]
        with transaction.atomic():
            cursor.execute(
                sql.PREPARE,
                {
                    "ward": Area.Level.WARD,
                    "forces": [f.pk for f in forces] if forces is not None else None,
                    "months": sorted({m for p in plans for m in _months_read(p)}),
                },
            )
            if reads:
                fetched = tuple(r.result() for r in reads)
            buckets.read(cursor, fetched=fetched)
    return fetched


def _finish(cursor) -> None:
    cursor.execute(sql.FINISH)
    cursor.execute(survey_inputs.DROP_BUCKETS)


@dataclass
class _Run:
    """One scoring run's shared state: what both connections read and what they made."""

    months: list[date]
    settings: ScoringSettings
    forces: Sequence[Area] | None
    buckets: survey_inputs.SurveyBuckets
    results: list[PeriodResult]
    stop: threading.Event

    def periods(self, cursor, plans: list[PeriodPlan]) -> None:
        """Score ``plans`` one by one, each in a transaction of its own, until stopped."""
        for p in plans:
            if self.stop.is_set():
                return
            with transaction.atomic():
                self.results.append(
                    compute_period(
                        cursor, p.period, self.months, self.settings, planned=p,
                        buckets=self.buckets,
                    )
                )  # fmt: skip

    def on_second_connection(self, plans: list[PeriodPlan], fetched: tuple | None) -> None:
        """``plans`` on a connection of this thread's own, with temporary tables of its own."""
        try:
            with connection.cursor() as cursor:
                try:
                    _prepare(cursor, plans, self.forces, self.buckets, fetched)
                    self.periods(cursor, plans)
                finally:
                    _finish(cursor)
        except BaseException:
            self.stop.set()  # the other connection stops after its current period
            raise
        finally:
            connections.close_all()  # this thread's


# A run of at least this many periods shares them between two connections (two cores).
SHARED_FROM = 8


def compute_scores(
    periods: Iterable[date] | None = None, *, forces: Sequence[Area] | None = None
) -> list[PeriodResult]:
    """Score every street and ward for the given periods (default: every month with data).

    Each period's rows are replaced as a whole (for the given forces, default all), in
    a transaction of its own: a long run never holds one transaction open, and what it
    leaves behind does not slow the next period down. Periods without crime data are
    skipped. One run at a time (a session lock). A long run outside a transaction
    shares its periods between two connections (each period is still scored alone);
    when one fails, the other stops after its current period and the run fails.
    """
    settings = ScoringSettings.load()
    months = data_months()
    wanted = sorted(set(periods) & set(months)) if periods is not None else months
    if not wanted:
        return []
    plans = [plan(period, months, settings) for period in wanted]
    buckets = survey_inputs.SurveyBuckets([(p.survey_since, p.as_of) for p in plans])
    run = _Run(months, settings, forces, buckets, [], threading.Event())
    shared = len(plans) >= SHARED_FROM and not connection.in_atomic_block
    mine, theirs = (plans[0::2], plans[1::2]) if shared else (plans, [])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext('targeting.compute_scores'))")
        try:
            fetched = _prepare(cursor, mine, forces, buckets)
            with ThreadPoolExecutor(max_workers=1) as pool:
                other = pool.submit(run.on_second_connection, theirs, fetched) if theirs else None
                try:
                    run.periods(cursor, mine)
                except BaseException:
                    run.stop.set()
                    raise
                if other is not None:
                    other.result()  # the other connection's failure fails the run
        finally:
            if run.results:  # the periods scored so far are committed: pages show them
                page_cache.scores_changed()
            _finish(cursor)
            cursor.execute("SELECT pg_advisory_unlock(hashtext('targeting.compute_scores'))")
    return sorted(run.results, key=lambda r: r.period)
