"""Small-number suppression: the ONE function every display and export goes through.

:func:`publish` turns raw counts for one area and quarter into what may be shown:

- a count (invitations, respondents, people naming a priority...) is shown only
  when it is at least ``THRESHOLD`` (10); smaller counts, zero included, are hidden;
- a rate or share is shown only when both its numerator and denominator could be
  shown (a share of a small count would give the count away);
- a mean, and its confidence interval, only when at least ``THRESHOLD`` people
  answered that question;
- a change on the previous quarter only when both quarters' values are shown.

Pages, charts, CSV exports and the comments page all take their numbers from a
:class:`Published`, never from raw counts.

Complementary (secondary) suppression: where a total is shown with its parts (an
area and the areas or streets below it, on a page or in a CSV export), hiding the
small parts is not enough, since the total minus the parts shown would give a hidden
part away. :func:`hidden_columns` therefore goes column by column (invitations,
respondents, and each question's mean with its n) and, wherever the total is shown
and some parts are hidden, keeps hiding the shown part with the smallest count until
the hidden parts' true total is 0 (a zero gives nobody away) or at least two parts
are hidden and their true total is at least ``THRESHOLD``.
Whatever is worked out from a value hidden this way is hidden with it (a response
rate, and a mean's interval and change). A value hidden this way may itself be 10
or more, so a hidden cell must never be labelled "fewer than 10".

The same on every page: a part hidden in its parent's table is hidden on its own page
and in its own export too (``surveys.results.own_columns`` walks from the force down,
each level protected against its parent as shown), and hiding a count of people who
answered hides the shares worked out from it. So an officer's own ward can show
"not shown" where the district table had to hide it to protect a smaller ward.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

THRESHOLD = 10

# Two-sided 95% critical values of Student's t for n - 1 degrees of freedom (n >= 10).
_T95 = {9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
        16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042,
        40: 2.021, 60: 2.000, 120: 1.980}  # fmt: skip


def t95(df: int) -> float:
    usable = [d for d in _T95 if d <= df]
    return _T95[max(usable)] if usable else _T95[9]


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


def _count(n: int) -> int | None:
    return n if n >= THRESHOLD else None


def _mean(raw: ScaleRaw | None, before: ScaleRaw | None) -> Mean:
    if raw is None or raw.n < THRESHOLD:
        return Mean(n=None, mean=None)
    mean = raw.total / raw.n
    variance = max(raw.total_sq - raw.n * mean * mean, 0.0) / (raw.n - 1)
    se = math.sqrt(variance / raw.n)
    margin = t95(raw.n - 1) * se
    change, clear = None, False
    if before is not None and before.n >= THRESHOLD:
        previous = before.total / before.n
        change = mean - previous
        before_var = max(before.total_sq - before.n * previous * previous, 0.0) / (before.n - 1)
        clear = abs(change) > 1.96 * math.sqrt(se * se + before_var / before.n)
    return Mean(
        n=raw.n,
        mean=mean,
        low=max(mean - margin, 1.0),
        high=min(mean + margin, 5.0),
        change=change,
        change_clear=clear,
    )


def _shares(
    counts: dict[str, int],
    answered: int,
    before: dict[str, int] | None,
    before_answered: int,
    slugs: list[str],
) -> list[Share]:
    shares = []
    for slug in slugs:
        n = counts.get(slug, 0)
        if n < THRESHOLD or answered < THRESHOLD:
            shares.append(Share(slug=slug, count=None, share=None))
            continue
        share = n / answered
        change = None
        if before is not None and before_answered >= THRESHOLD:
            was = before.get(slug, 0)
            if was >= THRESHOLD:
                change = share - was / before_answered
        shares.append(Share(slug=slug, count=n, share=share, change=change))
    # Most named first; hidden ones last, in taxonomy order.
    return sorted(shares, key=lambda s: (s.share is None, -(s.share or 0)))


def publish(
    raw: RawStats, *, previous: RawStats | None = None, slugs: list[str] | None = None
) -> Published:
    """What may be shown of ``raw`` (and its change on ``previous``). See the module doc."""
    slugs = slugs if slugs is not None else sorted({*raw.priorities, *raw.concerns})
    invitations, respondents = _count(raw.invitations), _count(raw.respondents)
    rate = respondents / invitations if invitations and respondents is not None else None
    before_scales = previous.scales if previous is not None else {}
    return Published(
        invitations=invitations,
        respondents=respondents,
        response_rate=min(rate, 1.0) if rate is not None else None,
        means={
            key: _mean(scale, before_scales.get(key)) for key, scale in sorted(raw.scales.items())
        },
        priorities=_shares(
            raw.priorities,
            raw.priorities_answered,
            previous.priorities if previous else None,
            previous.priorities_answered if previous else 0,
            slugs,
        ),
        concerns=_shares(
            raw.concerns,
            raw.concerns_answered,
            previous.concerns if previous else None,
            previous.concerns_answered if previous else 0,
            slugs,
        ),
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
    complementary suppression hides on top of its own small numbers, against their shown
    total ``parent``. See the module doc. The order of ``children`` breaks ties, so
    every caller must give the parts of a total in the same order.

    The parent's raw counts must be the sum of ``raws``: every part of the total is a
    child here, shown or not (a street not listed is a child with everything hidden).
    """
    assert len(children) == len(raws)
    extra: list[set[str]] = [set() for _ in children]
    for column, shown, count in _columns(parent):
        if not shown(parent):
            continue
        while True:
            hidden = [i for i, c in enumerate(children) if not shown(c) or column in extra[i]]
            hidden_total = sum(count(raws[i]) for i in hidden)
            # A remainder of 0 gives nobody away; otherwise it must be spread over two
            # or more hidden parts and hold at least THRESHOLD.
            if hidden_total == 0 or (len(hidden) >= 2 and hidden_total >= THRESHOLD):
                break
            candidates = [i for i in range(len(children)) if i not in hidden]
            if not candidates:
                break
            extra[min(candidates, key=lambda i: (count(raws[i]), i))].add(column)
    return extra
