"""Results as CSV: the area and each area (or street) below it, quarter by quarter.

The rows lay out the same :class:`~surveys.results.ResultsTable` as the results page,
so the two agree by construction; a hidden number is written as ``[c]`` (the ONS
marker for a value withheld for confidentiality).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import translation

from areas.models import Area
from core import spreadsheet

from .models import Round, quarter_label
from .published import Published
from .results import Part, results_table
from .selectors import SCALE_KEYS

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


def _name(part: Part) -> str:
    # The file is in English whatever the language of the page it was downloaded from.
    with translation.override(None):
        return str(part.name)


def rows(*, area: Area, rounds: list[Round]) -> Iterator[list]:
    """The header, then one row per (area or child, quarter), oldest quarter first."""
    table = results_table(area=area, rounds=rounds)
    slugs = table.slugs
    yield header(slugs)
    for r in table.rounds:
        yield row(area.level, area.code, area.name, quarter_label(r.starts_on), table.total[r.pk],
                  slugs)  # fmt: skip
    # Parts by name, the respondents who gave no street last.
    for part in sorted(table.parts, key=lambda p: p.kind == "none"):
        for r in table.rounds:
            published = part.quarters.get(r.pk, table.nothing)
            yield row(part.level, part.code, _name(part), quarter_label(r.starts_on), published,
                      slugs)  # fmt: skip


def write(out, *, area: Area, rounds: list[Round]) -> int:
    # Every cell as text a spreadsheet will not run as a formula (names come from data).
    writer = spreadsheet.writer(out)
    count = 0
    for line in rows(area=area, rounds=rounds):
        writer.writerow(line)
        count += 1
    return count - 1
