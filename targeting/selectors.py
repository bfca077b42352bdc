"""Reads for the targeting pages, always within the requesting user's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Member, User
from accounts.permissions import get_scoped_object_or_404, staff_for, wards_for
from areas.models import Area, OutputArea, Street, street_label
from areas.selectors import feature, geojson_wgs84

from .models import (
    Crime,
    CrimeCategory,
    CrimeImport,
    ImportJob,
    ScoringRun,
    ScoringSettings,
    StreetScore,
    WardScore,
)
from .scoring import add_months

HISTORY_MONTHS = 6


# --- Periods --------------------------------------------------------------------------------


def scored_periods() -> list[date]:
    """Months with scores, newest first."""
    return list(WardScore.objects.order_by("-period").values_list("period", flat=True).distinct())


def resolve_period(text: str | None, periods: list[date]) -> date | None:
    """The month asked for ("2024-03") if it has scores, else the latest."""
    if text:
        try:
            wanted = date.fromisoformat(f"{text[:7]}-01")
        except ValueError:
            wanted = None
        if wanted in periods:
            return wanted
    return periods[0] if periods else None


# --- Areas in scope ---------------------------------------------------------------------------


def wards_in(user: User, area: Area) -> QuerySet[Area]:
    """The wards of ``area`` (itself, if a ward) that ``user`` may see."""
    return wards_for(user).wards_under(area)


def street_for_user(user: User, pk: int) -> Street:
    return get_scoped_object_or_404(
        Street.objects.select_related("ward__parent", "near"), user, pk=pk
    )


# --- Scores ---------------------------------------------------------------------------------


def wards_ranked(user: User, *, area: Area | None = None, period: date) -> list[WardScore]:
    """Ward scores in scope (within ``area`` if given), highest first."""
    wards = wards_in(user, area) if area is not None else wards_for(user)
    return list(
        WardScore.objects.filter(period=period, ward__in=wards)
        .select_related("ward__parent", "top_category")
        .order_by("-score", "ward__name")
    )


def top_streets_by_ward(wards: list[Area], *, period: date) -> dict[int, StreetScore]:
    scores = StreetScore.objects.filter(
        period=period, ward__in=wards, rank_in_ward=1
    ).select_related("street__near", "top_category")
    return {s.ward_id: s for s in scores}


def streets_ranked(
    user: User, *, area: Area, period: date, limit: int | None = 10, streets_only: bool = False
) -> list[StreetScore]:
    """The area's streets in scope, highest score first; places too unless ``streets_only``
    (places keep their rank among all: "#3 of 40 in the ward" counts car parks)."""
    qs = StreetScore.objects.filter(period=period, ward__in=wards_in(user, area)).select_related(
        "street__near", "ward", "top_category"
    )
    if streets_only:
        qs = qs.filter(street__kind=Street.Kind.STREET)
    qs = qs.order_by("rank_in_ward") if area.is_ward else qs.order_by("rank_in_force")
    return list(qs[:limit] if limit else qs)


def ward_score(area: Area, period: date) -> WardScore | None:
    return WardScore.objects.filter(ward=area, period=period).select_related("top_category").first()


# --- Map features ---------------------------------------------------------------------------

# Metres: street lines are simplified to this before they are sent.
STREET_SIMPLIFY_M = 5


def street_features(user: User, *, ward: Area, period: date) -> list[dict]:
    """The ward's scored streets in scope as GeoJSON features (WGS84, simplified), with
    name, score and rank; the highest scores last, so a map draws them on top."""
    rows = (
        StreetScore.objects.filter(period=period, ward__in=wards_in(user, ward))
        .annotate(geojson=geojson_wgs84("street__geometry", tolerance_m=STREET_SIMPLIFY_M))
        .values_list("street__name", "street__kind", "street__near__name", "score",
                     "rank_in_ward", "geojson")
    )  # fmt: skip
    features = [
        feature(
            geojson,
            name=street_label(name, near=near if kind == Street.Kind.PLACE else None),
            place=kind == Street.Kind.PLACE,
            score=round(score),
            rank=rank,
        )
        for name, kind, near, score, rank, geojson in rows
    ]
    return sorted(features, key=lambda f: f["properties"]["score"])


def street_map_features(street: Street, *, score: StreetScore | None) -> list[dict]:
    """One street's (or place's) geometry as a feature, with its label and score."""
    geojson = (
        Street.objects.filter(pk=street.pk)
        .annotate(geojson=geojson_wgs84("geometry", tolerance_m=STREET_SIMPLIFY_M))
        .values_list("geojson", flat=True)
        .get()
    )
    return [
        feature(
            geojson,
            name=street.label,
            place=street.is_place,
            score=round(score.score) if score else 0,
            rank=score.rank_in_ward if score else None,
        )
    ]


def ward_features(scores: list[WardScore], *, tolerance_m: float) -> list[dict]:
    """The outlines of scored wards (already in scope), simplified to ``tolerance_m``.

    A force's 81 wards at the 10 m of ``boundary_simple`` weigh 400 KB; at 50 m, a
    phone gets the same picture for a fraction of it.
    """
    by_ward = {s.ward_id: s for s in scores}
    rows = (
        Area.objects.filter(pk__in=by_ward, boundary__isnull=False)
        .annotate(geojson=geojson_wgs84("boundary", tolerance_m=tolerance_m))
        .values_list("pk", "geojson")
    )
    return [
        feature(geojson, name=by_ward[pk].ward.name, score=round(by_ward[pk].score))
        for pk, geojson in rows
    ]


def street_history(street: Street) -> list[StreetScore]:
    return list(street.scores.select_related("top_category").order_by("period"))


def street_score(street: Street, period: date | None) -> StreetScore | None:
    qs = street.scores.select_related("top_category")
    if period is not None:
        found = qs.filter(period=period).first()
        if found is not None:
            return found
    return qs.order_by("-period").first()


# --- Crime tables ---------------------------------------------------------------------------


@dataclass
class CrimeTable:
    """Crimes by category (rows) and month (columns)."""

    months: list[date]
    rows: list[tuple[CrimeCategory, list[int], int]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.totals)


def crime_table(*, period: date, wards=None, street: Street | None = None) -> CrimeTable:
    """Crimes of the months up to ``period`` (those with data), for wards or one street."""
    first = add_months(period, -(HISTORY_MONTHS - 1))
    qs = Crime.objects.filter(month__gte=first, month__lte=period)
    if street is not None:
        qs = qs.filter(location__street=street)
    else:
        qs = qs.filter(location__ward__in=wards)
    counts = qs.values("month", "category").annotate(n=Count("id")).order_by()
    months = sorted(
        Crime.objects.filter(month__gte=first, month__lte=period)
        .values_list("month", flat=True)
        .distinct()
    )
    grid: dict[int, dict[date, int]] = defaultdict(dict)
    for row in counts:
        grid[row["category"]][row["month"]] = row["n"]
    table = CrimeTable(months=months)
    for category in CrimeCategory.objects.filter(pk__in=grid):
        cells = [grid[category.pk].get(m, 0) for m in months]
        table.rows.append((category, cells, sum(cells)))
    table.rows.sort(key=lambda r: (-r[2], r[0].order))
    table.totals = [sum(r[1][i] for r in table.rows) for i in range(len(months))]
    return table


# --- People ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    members: int
    households: int | None
    key_contacts: int
    target: float

    @property
    def per_100(self) -> float | None:
        if not self.households:
            return None
        return 100 * self.members / self.households

    @property
    def share_of_target(self) -> int | None:
        rate = self.per_100
        return None if rate is None else min(100, round(100 * rate / self.target))


def _members_in(wards) -> QuerySet[Member]:
    return Member.objects.confirmed().filter(ward__in=wards, user__is_active=True)


def coverage(wards) -> Coverage:
    households = OutputArea.objects.filter(ward__in=wards).aggregate(n=Sum("households"))["n"]
    return Coverage(
        members=_members_in(wards).filter(messages_stopped_at__isnull=True).count(),
        households=households,
        key_contacts=key_contacts_in(wards).count(),
        target=ScoringSettings.load().engagement_target,
    )


def key_contacts_in(wards) -> QuerySet[Member]:
    """Members who agreed to be key contacts, or belong to an advisory group."""
    return (
        _members_in(wards)
        .filter(messages_stopped_at__isnull=True)
        .filter(Q(key_contact=True) | Q(groups__is_advisory=True))
        .distinct()
    )


def key_contacts_for(user: User, ward: Area) -> list[Member]:
    return list(
        key_contacts_in(wards_in(user, ward))
        .select_related("user", "postcode", "street")
        .prefetch_related("groups")
        .order_by("user__name", "pk")
    )


# --- Import jobs ----------------------------------------------------------------------------


def import_jobs(user: User) -> QuerySet[ImportJob]:
    """The jobs an admin may see: their own and those of staff they manage (in their areas)."""
    mine = Q(created_by=user) | Q(created_by__staff__in=staff_for(user))
    return ImportJob.objects.filter(mine).select_related("created_by").prefetch_related("files")


@dataclass(frozen=True)
class JobProgress:
    done: int
    total: int | None
    stage: str

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


def import_job_progress(job: ImportJob) -> JobProgress:
    from .services import PROGRESS_KEY

    if job.status == ImportJob.Status.RUNNING:
        cached = cache.get(PROGRESS_KEY.format(job.pk))
        if cached:
            return JobProgress(*cached)
    return JobProgress(job.progress_done, job.progress_total, job.stage)


# --- Data status ----------------------------------------------------------------------------

# A warning on staff pages when the newest crime month is older than this many months.
STALE_AFTER_MONTHS = 2


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def crime_months() -> list[dict]:
    """Each month with crime data: its forces, rows and the file it was imported from.

    A month replaced by a later import shows the latest import only.
    """
    latest: dict[tuple[date, str], CrimeImport] = {}
    for record in CrimeImport.objects.order_by("imported_at", "id"):
        latest[(record.month, record.reported_by)] = record
    months: dict[date, dict] = {}
    for (month, _force), record in sorted(latest.items()):
        entry = months.setdefault(month, {"month": month, "imports": []})
        entry["imports"].append(record)
    return list(months.values())


def missing_months(months: list[date]) -> list[date]:
    """The months between the first and the last that have no data."""
    if not months:
        return []
    present, first, last = set(months), min(months), max(months)
    return [
        m
        for m in (add_months(first, i) for i in range(_months_between(first, last)))
        if m not in present
    ]


def crime_data_stale(*, today: date | None = None) -> dict | None:
    """{"latest": month, "months": age} when the newest crime month is too old, else None."""
    latest = Crime.objects.order_by("-month").values_list("month", flat=True).first()
    if latest is None:
        return None
    today = today or timezone.localdate()
    age = _months_between(latest, today.replace(day=1))
    return {"latest": latest, "months": age} if age > STALE_AFTER_MONTHS else None


def data_status(user: User) -> dict:
    """Per kind what is loaded and the last import that loaded it (within the user's
    scope of jobs), the crime months present and missing, and the last scoring run."""
    from .importers.kinds import KINDS

    jobs = import_jobs(user).filter(status=ImportJob.Status.SUCCEEDED, check_only=False)
    kinds = [
        {"kind": kind, "loaded": kind.loaded(), "last_job": jobs.filter(kind=kind.name).first()}
        for kind in KINDS.values()
    ]
    months = crime_months()
    return {
        "kinds": kinds,
        "crime_months": months,
        "missing_months": missing_months([m["month"] for m in months]),
        "stale_crimes": crime_data_stale(),
        "scoring_run": ScoringRun.objects.first(),
        "scoring_runs": ScoringRun.objects.all()[:5],
    }
