"""Results as CSV: the area and each area (or street) below it, quarter by quarter.

Every number comes from :func:`surveys.suppression.publish`; a hidden one is
written as ``[c]`` (the ONS marker for a value withheld for confidentiality).
"""

from __future__ import annotations

from collections.abc import Iterator

from areas.models import Area, Street
from core import spreadsheet

from .models import Priority, Round, quarter_label
from .results import (
    CHILD_GROUP,
    _empty,
    own_columns,
    part_columns,
    previous_quarter,
    raw_stats,
    total,
)
from .selectors import SCALE_KEYS
from .suppression import Published, RawStats, hide_columns, publish

HIDDEN = "[c]"


def _cell(value, digits: int | None = None) -> str:
    if value is None:
        return HIDDEN
    return f"{value:.{digits}f}" if digits is not None else str(value)


def header(slugs: list[str]) -> list[str]:
    cols = ["level", "code", "name", "quarter", "invitations", "respondents", "response_rate"]
    for key in SCALE_KEYS:
        cols += [f"{key}_n", f"{key}_mean", f"{key}_ci_low", f"{key}_ci_high", f"{key}_change"]
    cols += [f"priority_share_{slug}" for slug in slugs]
    cols += [f"concern_share_{slug}" for slug in slugs]
    return cols


def row(level: str, code: str, name: str, label: str, p: Published, slugs: list[str]) -> list:
    out = [level, code, name, label, _cell(p.invitations), _cell(p.respondents),
           _cell(p.response_rate, 3)]  # fmt: skip
    for key in SCALE_KEYS:
        m = p.means[key]
        out += [_cell(m.n), _cell(m.mean, 2), _cell(m.low, 2), _cell(m.high, 2),
                _cell(m.change, 2)]  # fmt: skip
    for shares in (p.priorities, p.concerns):
        by_slug = {s.slug: s for s in shares}
        out += [_cell(by_slug[slug].share, 3) for slug in slugs]
    return out


def rows(*, area: Area, rounds: list[Round]) -> Iterator[list]:
    """The header, then one row per (area or child, quarter), oldest quarter first."""
    slugs = list(Priority.objects.values_list("slug", flat=True))
    yield header(slugs)
    rounds = sorted(rounds, key=lambda r: r.starts_on)
    wards = Area.objects.wards_under(area)
    by_start = {r.starts_on: r for r in rounds}
    units: list[tuple[str, str, str, int | None, bool]] = [
        (area.level, area.code, area.name, None, True)
    ]
    group = CHILD_GROUP.get(area.level)
    grouped: dict = {}
    if group:
        grouped = raw_stats(wards=wards, rounds=rounds, group=group)
        ids = {g for (g, _r) in grouped}
        if area.level == Area.Level.WARD:
            units += [("street", str(s.pk), s.name, s.pk, False)
                      for s in Street.objects.filter(pk__in=ids).order_by("name")]  # fmt: skip
            if None in ids:
                units.append(("street", "", "No street given", None, False))
        else:
            units += [(a.level, a.code, a.name, a.pk, False)
                      for a in Area.objects.filter(pk__in=ids).order_by("name")]  # fmt: skip
    overall = raw_stats(wards=wards, rounds=rounds)

    def stats(unit_id: int | None, is_total: bool, round_: Round | None) -> RawStats | None:
        if round_ is None:
            return None
        if is_total:
            return total(overall, round_.pk)
        return grouped.get((unit_id, round_.pk), _empty())

    # The area's own figures as its page shows them, and its parts protected against it.
    own = own_columns(area, rounds, slugs=slugs)
    columns = {
        r.pk: part_columns(area, grouped, r.pk, area_hidden=own[r.pk], slugs=slugs) for r in rounds
    }
    published: dict[tuple[int, int], Published] = {}
    for r in rounds:
        before = by_start.get(previous_quarter(r.starts_on))
        for index, (_l, _c, _n, unit_id, is_total) in enumerate(units):
            # A part with no data in the quarter has nothing more to hide.
            hidden = own[r.pk] if is_total else columns[r.pk].get(unit_id, set())
            raw_now, raw_before = stats(unit_id, is_total, r), stats(unit_id, is_total, before)
            published[index, r.pk] = hide_columns(
                publish(raw_now, previous=raw_before, slugs=slugs), hidden
            )

    for index, (level, code, name, _unit_id, _is_total) in enumerate(units):
        for r in rounds:
            yield row(level, code, name, quarter_label(r.starts_on), published[index, r.pk], slugs)


def write(out, *, area: Area, rounds: list[Round]) -> int:
    # Every cell as text a spreadsheet will not run as a formula (names come from data).
    writer = spreadsheet.writer(out)
    count = 0
    for line in rows(area=area, rounds=rounds):
        writer.writerow(line)
        count += 1
    return count - 1
