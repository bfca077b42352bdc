"""Results by area and quarter: raw counts from SQL aggregates, then published.

Raw counts are grouped in the database per child unit (district, ward or street) and
round; an area's total is the sum of its children (sums of n, sum and sum of squares
add up exactly). Everything leaves this module as :class:`~surveys.suppression.Published`
- the single place small numbers are suppressed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.db.models import Count, F, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Street

from .models import Answer, AnswerPriority, Invitation, Priority, Response, Round, quarter_label
from .selectors import CONCERNS_KEY, PRIORITIES_KEY, SCALE_KEYS
from .suppression import (
    Published,
    RawStats,
    ScaleRaw,
    every_column,
    hidden_columns,
    hide_columns,
    publish,
)

SCALE_LABELS = {
    "trust": _("Trust in local police"),
    "confidence": _("Confidence they deal with local issues"),
    "safe_day": _("Feel safe in the day"),
    "safe_dark": _("Feel safe after dark"),
}
TREND_QUARTERS = 8

# How to group rows by the child units of an area of each level.
CHILD_GROUP = {
    Area.Level.FORCE: "ward__parent_id",
    Area.Level.DISTRICT: "ward_id",
    Area.Level.WARD: "street_id",
}


def _empty() -> RawStats:
    return RawStats(scales={key: ScaleRaw() for key in SCALE_KEYS})


def raw_stats(
    *,
    wards: QuerySet[Area],
    rounds: list[Round],
    street: Street | None = None,
    group: str | None = None,
) -> dict[tuple[int | None, int], RawStats]:
    """Raw counts per (group id, round id); group None means one total per round.

    ``group`` is a field path from Invitation/Response (``ward_id``, ``street_id``,
    ``ward__parent_id``). Only submitted responses count.
    """
    out: dict[tuple[int | None, int], RawStats] = defaultdict(_empty)
    where = {"ward__in": wards, "round__in": rounds}
    if street is not None:
        where["street"] = street

    def key(row: dict, prefix: str = "") -> tuple[int | None, int]:
        return (row[prefix + group] if group else None, row[prefix + "round_id"])

    def grouped(qs: QuerySet, prefix: str = "", *extra: str) -> QuerySet:
        fields = [prefix + "round_id"] + ([prefix + group] if group else [])
        return qs.values(*fields, *extra).order_by()

    for row in grouped(Invitation.objects.filter(**where)).annotate(n=Count("id")):
        out[key(row)].invitations = row["n"]
    responses = Response.objects.filter(submitted_at__isnull=False, **where)
    for row in grouped(responses).annotate(n=Count("id")):
        out[key(row)].respondents = row["n"]

    prefix = "response__"
    answer_where = {prefix + k: v for k, v in where.items()} | {
        prefix + "submitted_at__isnull": False
    }
    answers = Answer.objects.filter(**answer_where)
    scale_rows = grouped(
        answers.filter(question__key__in=SCALE_KEYS, scale_value__isnull=False),
        prefix,
        "question__key",
    ).annotate(
        n=Count("id"),
        total=Sum("scale_value"),
        total_sq=Sum(F("scale_value") * F("scale_value")),
    )
    for row in scale_rows:
        out[key(row, prefix)].scales[row["question__key"]] = ScaleRaw(
            n=row["n"], total=row["total"], total_sq=row["total_sq"]
        )
    listed = (PRIORITIES_KEY, CONCERNS_KEY)
    answered_rows = grouped(
        answers.filter(question__key__in=listed, priority_rows__isnull=False),
        prefix,
        "question__key",
    ).annotate(n=Count("response_id", distinct=True))
    for row in answered_rows:
        stats = out[key(row, prefix)]
        if row["question__key"] == PRIORITIES_KEY:
            stats.priorities_answered = row["n"]
        else:
            stats.concerns_answered = row["n"]
    prefix = "answer__response__"
    rows_where = {prefix + k: v for k, v in where.items()} | {
        prefix + "submitted_at__isnull": False,
        "answer__question__key__in": listed,
    }
    mention_rows = grouped(
        AnswerPriority.objects.filter(**rows_where),
        prefix,
        "answer__question__key",
        "priority__slug",
    ).annotate(n=Count("answer__response_id", distinct=True))
    for row in mention_rows:
        stats = out[key(row, prefix)]
        target = (
            stats.priorities if row["answer__question__key"] == PRIORITIES_KEY else stats.concerns
        )
        target[row["priority__slug"]] = row["n"]
    return out


def total(raw: dict[tuple[int | None, int], RawStats], round_id: int) -> RawStats:
    stats = _empty()
    for (_group, rid), part in raw.items():
        if rid == round_id:
            stats.add(part)
    return stats


# --- Complementary suppression, the same on every page and export ----------------------------

Columns = dict[int | None, set[str]]


def _part_order(unit_id: int | None) -> tuple[bool, int]:
    return (unit_id is None, unit_id or 0)


def part_columns(
    area: Area,
    raw: dict[tuple[int | None, int], RawStats],
    round_id: int,
    *,
    area_hidden: set[str],
    slugs: list[str],
) -> Columns:
    """The columns hidden for each part of ``area`` in a round (``raw`` grouped by
    ``CHILD_GROUP[area.level]``): a street where fewer than 10 answered is not listed, so
    shows nothing; then complementary suppression against the area's total as it is
    shown (less ``area_hidden``, the columns hidden for the area itself). Parts go in
    by id, so that every page and export makes the same choice."""
    ids = sorted((g for (g, rid) in raw if rid == round_id), key=_part_order)
    raws = [raw[(g, round_id)] for g in ids]
    parts = [publish(r, slugs=slugs) for r in raws]
    own = [
        every_column(p) if area.level == Area.Level.WARD and p.respondents is None else set()
        for p in parts
    ]
    parts = [hide_columns(p, cols) for p, cols in zip(parts, own, strict=True)]
    parent = hide_columns(publish(total(raw, round_id), slugs=slugs), area_hidden)
    extra = hidden_columns(parent, parts, raws)
    return {g: own[i] | extra[i] for i, g in enumerate(ids)}


def own_columns(
    area: Area, rounds: list[Round], *, street: Street | None = None, slugs: list[str]
) -> dict[int, set[str]]:
    """Per round, the columns hidden for the area (or a street of a ward) itself, so that
    its own page and export agree with the tables of the areas above it: walked from
    the force down, each level's choice taking its parent's into account."""
    chain = [area]
    while chain[0].parent_id is not None:
        chain.insert(0, chain[0].parent)
    steps: list[tuple[Area, int]] = [(parent, child.pk) for parent, child in pairwise(chain)]
    if street is not None:
        steps.append((area, street.pk))
    hidden: dict[int, set[str]] = {r.pk: set() for r in rounds}
    for parent, child_id in steps:
        raw = raw_stats(
            wards=Area.objects.wards_under(parent), rounds=rounds, group=CHILD_GROUP[parent.level]
        )
        hidden = {
            r.pk: part_columns(parent, raw, r.pk, area_hidden=hidden[r.pk], slugs=slugs).get(
                child_id, set()
            )
            for r in rounds
        }
    return hidden


# --- What the pages and exports use ---------------------------------------------------------


@dataclass(frozen=True)
class QuarterResult:
    round: Round
    published: Published

    @property
    def label(self) -> str:
        return quarter_label(self.round.starts_on)


@dataclass(frozen=True)
class ChildResult:
    name: str
    code: str  # an area code, or a street id as text
    kind: str  # "area" or "street"
    published: Published


@dataclass
class Results:
    area: Area
    street: Street | None
    round: Round | None
    current: Published | None
    previous_round: Round | None
    trend: list[QuarterResult] = field(default_factory=list)
    children: list[ChildResult] = field(default_factory=list)
    # Children not listed because fewer than 10 people answered there.
    children_hidden: int = 0
    priority_names: dict[str, str] = field(default_factory=dict)


def rounds_up_to(round_: Round, count: int = TREND_QUARTERS) -> list[Round]:
    return list(
        Round.objects.filter(starts_on__lte=round_.starts_on).order_by("-starts_on")[:count]
    )[::-1]


def previous_quarter(start: date) -> date:
    month = start.month - 3
    return date(start.year - 1, month + 12, 1) if month < 1 else date(start.year, month, 1)


def results_for(
    *, area: Area, round_: Round | None, street: Street | None = None, children: bool = True
) -> Results:
    """Everything the results page shows for an area (or one street of a ward)."""
    slugs = list(Priority.objects.values_list("slug", flat=True))
    names = dict(Priority.objects.values_list("slug", "name"))
    result = Results(
        area=area,
        street=street,
        round=round_,
        current=None,
        previous_round=None,
        priority_names=names,
    )
    if round_ is None:
        return result
    rounds = rounds_up_to(round_)
    previous = next((r for r in rounds if r.starts_on == previous_quarter(round_.starts_on)), None)
    result.previous_round = previous
    wards = Area.objects.wards_under(area)
    raw = raw_stats(wards=wards, rounds=rounds, street=street)
    own = own_columns(area, rounds, street=street, slugs=slugs)
    for index, r in enumerate(rounds):
        before = (
            rounds[index - 1]
            if index and rounds[index - 1].starts_on == previous_quarter(r.starts_on)
            else None
        )
        published = publish(
            total(raw, r.pk), previous=total(raw, before.pk) if before else None, slugs=slugs
        )
        published = hide_columns(published, own[r.pk])
        result.trend.append(QuarterResult(round=r, published=published))
    result.current = result.trend[-1].published
    if children and street is None:
        result.children, result.children_hidden = _children(
            area, wards, round_, previous, slugs, area_hidden=own[round_.pk]
        )
    return result


def _children(
    area: Area,
    wards: QuerySet[Area],
    round_: Round,
    previous: Round | None,
    slugs: list[str],
    *,
    area_hidden: set[str],
) -> tuple[list[ChildResult], int]:
    group = CHILD_GROUP[area.level]
    rounds = [round_] + ([previous] if previous else [])
    raw = raw_stats(wards=wards, rounds=rounds, group=group)
    columns = part_columns(area, raw, round_.pk, area_hidden=area_hidden, slugs=slugs)
    ids = {g for (g, _r) in raw}
    if area.level == Area.Level.WARD:
        units = {s.pk: (s.name, str(s.pk), "street") for s in Street.objects.filter(pk__in=ids)}
        units[None] = (str(_("No street given")), "", "none")
    else:
        units = {a.pk: (a.name, a.code, "area") for a in Area.objects.filter(pk__in=ids)}
    listed, hidden = [], 0
    for unit_id, (name, code, kind) in sorted(units.items(), key=lambda u: u[1][0]):
        now = raw.get((unit_id, round_.pk))
        if now is None:
            continue
        before = raw.get((unit_id, previous.pk)) if previous else None
        published = hide_columns(publish(now, previous=before, slugs=slugs), columns[unit_id])
        if kind != "area" and published.respondents is None:
            hidden += 1
            continue
        listed.append(ChildResult(name=name, code=code, kind=kind, published=published))
    return listed, hidden
