"""Survey results by area and quarter: the one pipeline the results page and its CSV use.

1. :func:`raw_stats`: raw counts from SQL aggregates, per part (district, ward or
   street) and round; an area's total is the sum of its parts (sums of n, sum and sum
   of squares add up exactly). Never shown as they are.
2. :func:`own_columns` and :func:`part_columns`: what complementary suppression hides
   of the area and of each part, so that every page and export agrees.
3. :func:`results_table`: the published figures (``surveys.published``, on
   ``core.disclosure``) of the area and of each part, round by round, each with its
   change on the previous quarter, which :func:`previous_rounds` alone works out.

The page (:func:`results_for`) and the export (``surveys.export``) only lay out a
:class:`ResultsTable`, so they agree by construction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.db.models import Count, F, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Street

from .models import Answer, AnswerPriority, Invitation, Priority, Response, Round, quarter_label
from .published import (
    Published,
    RawStats,
    ScaleRaw,
    every_column,
    hidden_columns,
    hide_columns,
    publish,
)
from .selectors import CONCERNS_KEY, PRIORITIES_KEY, SCALE_KEYS

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

RawByPart = dict[tuple[int | None, int], RawStats]


# --- 1. Raw counts --------------------------------------------------------------------------


def _empty() -> RawStats:
    return RawStats(scales={key: ScaleRaw() for key in SCALE_KEYS})


@dataclass(frozen=True)
class _Grouped:
    """Rows of a query grouped by round and, with ``group``, by part; ``prefix`` is the
    path from the query's model to Invitation/Response."""

    group: str | None
    prefix: str = ""

    def rows(self, qs: QuerySet, *extra: str) -> QuerySet:
        fields = [self.prefix + "round_id"] + ([self.prefix + self.group] if self.group else [])
        return qs.values(*fields, *extra).order_by()

    def key(self, row: dict) -> tuple[int | None, int]:
        part = row[self.prefix + self.group] if self.group else None
        return (part, row[self.prefix + "round_id"])

    def submitted(self, where: dict) -> dict:
        """``where`` seen from the query's model, submitted responses only."""
        return {self.prefix + k: v for k, v in where.items()} | {
            self.prefix + "submitted_at__isnull": False
        }


def _add_counts(out: RawByPart, where: dict, group: str | None) -> None:
    by = _Grouped(group)
    for row in by.rows(Invitation.objects.filter(**where)).annotate(n=Count("id")):
        out[by.key(row)].invitations = row["n"]
    for row in by.rows(Response.objects.filter(**by.submitted(where))).annotate(n=Count("id")):
        out[by.key(row)].respondents = row["n"]


def _add_answers(out: RawByPart, where: dict, group: str | None) -> None:
    by = _Grouped(group, "response__")
    answers = Answer.objects.filter(**by.submitted(where))
    scales = by.rows(
        answers.filter(question__key__in=SCALE_KEYS, scale_value__isnull=False), "question__key"
    ).annotate(
        n=Count("id"),
        total=Sum("scale_value"),
        total_sq=Sum(F("scale_value") * F("scale_value")),
    )
    for row in scales:
        out[by.key(row)].scales[row["question__key"]] = ScaleRaw(
            n=row["n"], total=row["total"], total_sq=row["total_sq"]
        )
    answered = by.rows(
        answers.filter(question__key__in=(PRIORITIES_KEY, CONCERNS_KEY),
                       priority_rows__isnull=False),
        "question__key",
    ).annotate(n=Count("response_id", distinct=True))  # fmt: skip
    for row in answered:
        stats = out[by.key(row)]
        if row["question__key"] == PRIORITIES_KEY:
            stats.priorities_answered = row["n"]
        else:
            stats.concerns_answered = row["n"]


def _add_mentions(out: RawByPart, where: dict, group: str | None) -> None:
    by = _Grouped(group, "answer__response__")
    mentions = by.rows(
        AnswerPriority.objects.filter(
            **by.submitted(where), answer__question__key__in=(PRIORITIES_KEY, CONCERNS_KEY)
        ),
        "answer__question__key",
        "priority__slug",
    ).annotate(n=Count("answer__response_id", distinct=True))
    for row in mentions:
        stats = out[by.key(row)]
        target = (
            stats.priorities if row["answer__question__key"] == PRIORITIES_KEY else stats.concerns
        )
        target[row["priority__slug"]] = row["n"]


def raw_stats(
    *,
    wards: QuerySet[Area],
    rounds: list[Round],
    street: Street | None = None,
    group: str | None = None,
) -> RawByPart:
    """Raw counts per (group id, round id); group None means one total per round.

    ``group`` is a field path from Invitation/Response (``ward_id``, ``street_id``,
    ``ward__parent_id``). Only submitted responses count.
    """
    out: RawByPart = defaultdict(_empty)
    where = {"ward__in": wards, "round__in": rounds}
    if street is not None:
        where["street"] = street
    _add_counts(out, where, group)
    _add_answers(out, where, group)
    _add_mentions(out, where, group)
    return out


def total(raw: RawByPart, round_id: int) -> RawStats:
    stats = _empty()
    for (_group, rid), part in raw.items():
        if rid == round_id:
            stats.add(part)
    return stats


# --- 2. Complementary suppression, the same on every page and export ------------------------

Columns = dict[int | None, set[str]]


def _part_order(unit_id: int | None) -> tuple[bool, int]:
    return (unit_id is None, unit_id or 0)


def part_columns(
    area: Area,
    raw: RawByPart,
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
    published = [publish(r, slugs=slugs) for r in raws]
    streets = area.level == Area.Level.WARD
    own = [every_column(p) if streets and p.respondents is None else set() for p in published]
    parent = hide_columns(publish(total(raw, round_id), slugs=slugs), area_hidden)
    while True:
        parts = [hide_columns(p, cols) for p, cols in zip(published, own, strict=True)]
        extra = hidden_columns(parent, parts, raws)
        # A street whose number of respondents is hidden is not listed at all, so every
        # other column of it is hidden too: protect the other streets against that.
        unlisted = [
            i for i, cols in enumerate(extra)
            if streets and "respondents" in cols and own[i] != every_column(published[i])
        ]  # fmt: skip
        if not unlisted:
            return {g: own[i] | extra[i] for i, g in enumerate(ids)}
        for i in unlisted:
            own[i] = every_column(published[i])


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


# --- 3. The table: the area and its parts, round by round -----------------------------------


def previous_quarter(start: date) -> date:
    month = start.month - 3
    return date(start.year - 1, month + 12, 1) if month < 1 else date(start.year, month, 1)


def previous_rounds(rounds: list[Round]) -> dict[int, Round | None]:
    """Each round's previous quarter, by round id, where that quarter is among ``rounds``
    (changes are worked out against it, and only here)."""
    by_start = {r.starts_on: r for r in rounds}
    return {r.pk: by_start.get(previous_quarter(r.starts_on)) for r in rounds}


@dataclass(frozen=True)
class Part:
    """A district, ward or street below the area, or the respondents who gave no street."""

    id: int | None
    name: str | Promise
    code: str  # an area code, a street id as text, or "" for no street
    kind: str  # "area", "street" or "none"
    level: str  # the part's level: "district", "ward" or "street"
    # Published figures by round id, in the rounds the part has anything in.
    quarters: dict[int, Published]


@dataclass(frozen=True)
class ResultsTable:
    rounds: list[Round]  # oldest first
    previous: dict[int, Round | None]  # see previous_rounds
    slugs: list[str]  # the priorities, in taxonomy order
    total: dict[int, Published]  # the area's (or the street's) own figures, by round id
    parts: list[Part]  # by name
    # What a part shows in a quarter it has nothing in.
    nothing: Published


def _quarters(
    stats: dict[int, RawStats],
    previous: dict[int, Round | None],
    hidden: dict[int, set[str]],
    slugs: list[str],
) -> dict[int, Published]:
    """Published figures by round id of ``stats`` (raw counts by round id), each with its
    change on the previous quarter, less the ``hidden`` columns of the round."""
    out = {}
    for round_id, raw in stats.items():
        before = previous[round_id]
        published = publish(raw, previous=stats.get(before.pk) if before else None, slugs=slugs)
        out[round_id] = hide_columns(published, hidden.get(round_id, set()))
    return out


def _units(area: Area, ids: set[int | None]) -> list[dict]:
    """The ids, names, codes, kinds and levels of the parts of ``area`` with ``ids``."""
    if area.level == Area.Level.WARD:
        units = [{"id": s.pk, "name": s.label, "code": str(s.pk), "kind": "street"}
                 for s in Street.objects.filter(pk__in=ids).select_related("near")]  # fmt: skip
        if None in ids:
            units.append({"id": None, "name": _("No street given"), "code": "", "kind": "none"})
        return [unit | {"level": "street"} for unit in units]
    return [{"id": a.pk, "name": a.name, "code": a.code, "kind": "area", "level": a.level}
            for a in Area.objects.filter(pk__in=ids)]  # fmt: skip


def _parts(
    area: Area,
    rounds: list[Round],
    previous: dict[int, Round | None],
    own: dict[int, set[str]],
    slugs: list[str],
) -> list[Part]:
    raw = raw_stats(wards=Area.objects.wards_under(area), rounds=rounds,
                    group=CHILD_GROUP[area.level])  # fmt: skip
    columns = {
        r.pk: part_columns(area, raw, r.pk, area_hidden=own[r.pk], slugs=slugs) for r in rounds
    }
    parts = []
    for unit in _units(area, {g for (g, _r) in raw}):
        stats = {r.pk: raw[unit["id"], r.pk] for r in rounds if (unit["id"], r.pk) in raw}
        hidden = {rid: columns[rid][unit["id"]] for rid in stats}
        parts.append(Part(**unit, quarters=_quarters(stats, previous, hidden, slugs)))
    return sorted(parts, key=lambda p: str(p.name))


def results_table(
    *, area: Area, rounds: list[Round], street: Street | None = None, parts: bool = True
) -> ResultsTable:
    """The published figures of ``area`` (or of one ``street`` of a ward) in each of
    ``rounds``, and, with ``parts`` and no street, of each area or street below it.

    Each part and the area itself are hidden what their parents' tables hide of them,
    so the area's own page, its parent's page and every export show the same cells.
    """
    slugs = list(Priority.objects.values_list("slug", flat=True))
    rounds = sorted(rounds, key=lambda r: r.starts_on)
    previous = previous_rounds(rounds)
    own = own_columns(area, rounds, street=street, slugs=slugs)
    raw = raw_stats(wards=Area.objects.wards_under(area), rounds=rounds, street=street)
    return ResultsTable(
        rounds=rounds,
        previous=previous,
        slugs=slugs,
        total=_quarters({r.pk: total(raw, r.pk) for r in rounds}, previous, own, slugs),
        parts=_parts(area, rounds, previous, own, slugs) if parts and street is None else [],
        nothing=publish(_empty(), slugs=slugs),
    )


# --- The page -------------------------------------------------------------------------------


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
    kind: str  # "area", "street" or "none"
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


def results_for(
    *, area: Area, round_: Round | None, street: Street | None = None, children: bool = True
) -> Results:
    """Everything the results page shows for an area (or one street of a ward)."""
    result = Results(
        area=area,
        street=street,
        round=round_,
        current=None,
        previous_round=None,
        priority_names=dict(Priority.objects.values_list("slug", "name")),
    )
    if round_ is None:
        return result
    table = results_table(area=area, rounds=rounds_up_to(round_), street=street, parts=children)
    result.previous_round = table.previous[round_.pk]
    result.trend = [QuarterResult(round=r, published=table.total[r.pk]) for r in table.rounds]
    result.current = table.total[round_.pk]
    for part in table.parts:
        published = part.quarters.get(round_.pk)
        if published is None:
            continue
        # A street where fewer than 10 answered is counted, not listed.
        if part.kind != "area" and published.respondents is None:
            result.children_hidden += 1
            continue
        result.children.append(
            ChildResult(name=str(part.name), code=part.code, kind=part.kind, published=published)
        )
    return result
