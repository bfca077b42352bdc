"""What of a survey result may be shown: :class:`Published`, made from :class:`RawStats`.

The rule is ``core.disclosure``'s, the one every app follows; this module applies it to
the survey's figures for one area (or street) and quarter, in :func:`publish`:

- invitations and respondents are counts; the response rate is a share of them;
- a question's mean, and its 95% confidence interval, is shown only when enough people
  answered that question;
- a priority's share is of the people who answered the question naming it;
- a change on the previous quarter only when both quarters' values are shown.

Pages, charts, CSV exports and the comments page all take their numbers from a
:class:`Published`, never from raw counts.

Complementary suppression: where a total is shown with its parts (an area and the
areas or streets below it, on a page or in a CSV export), :func:`hidden_columns` hands
``core.disclosure.complementary`` the survey's columns (invitations, respondents, and
each question's mean with its n). Whatever is worked out from a value hidden this way
is hidden with it (a response rate, a mean's interval and change, and the shares of
a hidden number of respondents: :func:`hide_columns`). A value hidden this way may
itself be 10 or more, so a hidden cell must never be labelled "fewer than 10".

The same on every page: a part hidden in its parent's table is hidden on its own page
and in its own export too (``surveys.results.own_columns`` walks from the force down,
each level protected against its parent as shown). So an officer's own ward can show
"not shown" where the district table had to hide it to protect a smaller ward.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from core import disclosure

# Two-sided 95% critical values of Student's t for n - 1 degrees of freedom (the small
# ones for a deployment that sets a threshold under 10).
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042,
        40: 2.021, 60: 2.000, 120: 1.980}  # fmt: skip


def t95(df: int) -> float:
    usable = [d for d in _T95 if d <= df]
    return _T95[max(usable)] if usable else _T95[1]


@dataclass
class ScaleRaw:
    n: int = 0
    total: float = 0
    total_sq: float = 0

    def add(self, other: ScaleRaw) -> None:
        self.n += other.n
        self.total += other.total
        self.total_sq += other.total_sq


@dataclass
class RawStats:
    """Raw counts for one area (or street) and one quarter. Never shown as they are."""

    invitations: int = 0
    respondents: int = 0
    scales: dict[str, ScaleRaw] = field(default_factory=dict)
    # Respondents naming each priority slug in their top three / ticking it as a concern.
    priorities: dict[str, int] = field(default_factory=dict)
    priorities_answered: int = 0
    concerns: dict[str, int] = field(default_factory=dict)
    concerns_answered: int = 0

    def add(self, other: RawStats) -> None:
        self.invitations += other.invitations
        self.respondents += other.respondents
        for key, scale in other.scales.items():
            self.scales.setdefault(key, ScaleRaw()).add(scale)
        for mine, theirs in ((self.priorities, other.priorities), (self.concerns, other.concerns)):
            for slug, n in theirs.items():
                mine[slug] = mine.get(slug, 0) + n
        self.priorities_answered += other.priorities_answered
        self.concerns_answered += other.concerns_answered


@dataclass(frozen=True)
class Mean:
    """A mean on the 1..5 scale with its 95% confidence interval (None when hidden)."""

    n: int | None
    mean: float | None
    low: float | None = None
    high: float | None = None
    change: float | None = None
    # The change is larger than the two quarters' sampling error would explain.
    change_clear: bool = False

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class Share:
    slug: str
    count: int | None
    share: float | None
    change: float | None = None

    @property
    def shown(self) -> bool:
        return self.share is not None


@dataclass(frozen=True)
class Published:
    invitations: int | None
    respondents: int | None
    response_rate: float | None
    means: dict[str, Mean]
    priorities: list[Share]
    concerns: list[Share]

    @property
    def comments_allowed(self) -> bool:
        """Free text is shown only where enough people answered to hide who wrote what."""
        return self.respondents is not None

    def shown_counts(self) -> list[int]:
        """Every count this result shows (for tests and audits of the rule)."""
        counts = [self.invitations, self.respondents]
        counts += [m.n for m in self.means.values()]
        counts += [s.count for s in (*self.priorities, *self.concerns)]
        return [c for c in counts if c is not None]


def _variance(raw: ScaleRaw, mean: float) -> float:
    # One answer says nothing about the spread: an interval over the whole scale.
    if raw.n < 2:
        return math.inf
    return max(raw.total_sq - raw.n * mean * mean, 0.0) / (raw.n - 1)


def _mean(raw: ScaleRaw | None, before: ScaleRaw | None) -> Mean:
    mean = disclosure.mean(raw.total, raw.n) if raw is not None else None
    if mean is None:
        return Mean(n=None, mean=None)
    se = math.sqrt(_variance(raw, mean) / raw.n)
    margin = t95(raw.n - 1) * se
    change, clear = None, False
    previous = disclosure.mean(before.total, before.n) if before is not None else None
    if previous is not None:
        change = mean - previous
        clear = abs(change) > 1.96 * math.sqrt(se * se + _variance(before, previous) / before.n)
    return Mean(
        n=raw.n,
        mean=mean,
        low=max(mean - margin, 1.0),
        high=min(mean + margin, 5.0),
        change=change,
        change_clear=clear,
    )


def _shares(raw: RawStats, previous: RawStats | None, kind: str, slugs: list[str]) -> list[Share]:
    """The shares naming each priority, ``kind`` "priorities" or "concerns"."""
    counts, answered = getattr(raw, kind), getattr(raw, f"{kind}_answered")
    before = getattr(previous, kind) if previous else None
    before_answered = getattr(previous, f"{kind}_answered") if previous else 0
    shares = []
    for slug in slugs:
        n = counts.get(slug, 0)
        share = disclosure.share(n, answered)
        if share is None:
            shares.append(Share(slug=slug, count=None, share=None))
            continue
        was = disclosure.share(before.get(slug, 0), before_answered) if before else None
        change = share - was if was is not None else None
        shares.append(Share(slug=slug, count=n, share=share, change=change))
    # Most named first; hidden ones last, in taxonomy order.
    return sorted(shares, key=lambda s: (s.share is None, -(s.share or 0)))


def publish(
    raw: RawStats, *, previous: RawStats | None = None, slugs: list[str] | None = None
) -> Published:
    """What may be shown of ``raw`` (and its change on ``previous``). See the module doc."""
    slugs = slugs if slugs is not None else sorted({*raw.priorities, *raw.concerns})
    rate = disclosure.share(raw.respondents, raw.invitations)
    before_scales = previous.scales if previous is not None else {}
    return Published(
        invitations=disclosure.count(raw.invitations),
        respondents=disclosure.count(raw.respondents),
        response_rate=min(rate, 1.0) if rate is not None else None,
        means={
            key: _mean(scale, before_scales.get(key)) for key, scale in sorted(raw.scales.items())
        },
        priorities=_shares(raw, previous, "priorities", slugs),
        concerns=_shares(raw, previous, "concerns", slugs),
    )


# --- Complementary suppression ----------------------------------------------------------

_HIDDEN_MEAN = Mean(n=None, mean=None)


def _columns(parent: Published) -> list[tuple[str, Callable[[Published], bool], Callable]]:
    """(column, is the value shown in a result, its true count in raw stats)."""
    columns: list[tuple[str, Callable[[Published], bool], Callable]] = [
        ("invitations", lambda p: p.invitations is not None, lambda r: r.invitations),
        ("respondents", lambda p: p.respondents is not None, lambda r: r.respondents),
    ]
    for key in parent.means:
        columns.append(
            (
                f"mean:{key}",
                lambda p, k=key: p.means.get(k, _HIDDEN_MEAN).shown,
                lambda r, k=key: r.scales[k].n if k in r.scales else 0,
            )
        )
    return columns


def hide_columns(published: Published, columns: set[str]) -> Published:
    """``published`` with the named columns hidden, and what is worked out from them."""
    if not columns:
        return published
    invitations = None if "invitations" in columns else published.invitations
    respondents = None if "respondents" in columns else published.respondents
    rate = published.response_rate if invitations is not None and respondents is not None else None
    means = {
        key: _HIDDEN_MEAN if f"mean:{key}" in columns else mean
        for key, mean in published.means.items()
    }
    priorities, concerns = published.priorities, published.concerns
    if respondents is None:
        # A share and its count give the number who answered away.
        priorities = [Share(slug=s.slug, count=None, share=None) for s in priorities]
        concerns = [Share(slug=s.slug, count=None, share=None) for s in concerns]
    return replace(
        published,
        invitations=invitations,
        respondents=respondents,
        response_rate=rate,
        means=means,
        priorities=priorities,
        concerns=concerns,
    )


def every_column(published: Published) -> set[str]:
    return {column for column, _shown, _count in _columns(published)}


def hidden_columns(
    parent: Published, children: list[Published], raws: list[RawStats]
) -> list[set[str]]:
    """For each of ``children`` (published from ``raws``, in the same order), the columns
    complementary suppression (``core.disclosure.complementary``) hides on top of what
    it hides already, against their shown total ``parent``. The order of ``children``
    breaks ties, so every caller must give the parts of a total in the same order.

    The parent's raw counts must be the sum of ``raws``: every part of the total is a
    child here, shown or not (a street not listed is a child with everything hidden).
    """
    assert len(children) == len(raws)
    columns = _columns(parent)
    return disclosure.complementary(
        [{column: count(raw) for column, _shown, count in columns} for raw in raws],
        total_shown=[column for column, shown, _count in columns if shown(parent)],
        hidden=[{column for column, shown, _count in columns if not shown(c)} for c in children],
    )
