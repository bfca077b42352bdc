"""When each member is due: every three months from their registration, spread out.

A member's *anchor* is their registration time plus a fixed offset of whole hours
(0 to ``SURVEYS_SPREAD_DAYS`` days, from their id), so members registered together
(a doorstep campaign, an import) are invited over several days, each at their own
hour, rather than all at once. Cycle ``n`` (1, 2, ...) is due at anchor + 3n months.
Months are added as PostgreSQL adds them (31 January + 1 month = 28/29 February),
in UTC, so the SQL that finds who is due and this module agree.

The quarter (``Round``) of an invitation is the calendar quarter, in local time, of
its due date. Due dates three months apart always fall in different quarters, so a
member has at most one invitation per round.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import CONFIRMED_MEMBER_SQL

from .models import quarter_start

# Multiplying by a prime scatters consecutive ids over the spread window.
SPREAD_PRIME = 7919


def spread_hours() -> int:
    return max(settings.SURVEYS_SPREAD_DAYS * 24, 1)


def offset_for(member_id: int) -> timedelta:
    return timedelta(hours=(member_id * SPREAD_PRIME) % spread_hours())


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole months, the day clamped to the month's end (UTC)."""
    moment = moment.astimezone(UTC)
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def anchor_for(*, member_id: int, registered_at: datetime) -> datetime:
    return registered_at.astimezone(UTC) + offset_for(member_id)


def due_at(*, member_id: int, registered_at: datetime, cycle: int) -> datetime:
    anchor = anchor_for(member_id=member_id, registered_at=registered_at)
    return add_months(anchor, settings.SURVEYS_CYCLE_MONTHS * cycle)


def cycle_at(*, member_id: int, registered_at: datetime, now: datetime) -> int:
    """The latest cycle due by ``now`` (0 before the first)."""
    anchor = anchor_for(member_id=member_id, registered_at=registered_at)
    now = now.astimezone(UTC)
    if now < anchor:
        return 0
    step = settings.SURVEYS_CYCLE_MONTHS
    months = (now.year - anchor.year) * 12 + now.month - anchor.month
    n = months // step
    return n if add_months(anchor, step * n) <= now else n - 1


def next_due(*, member_id: int, registered_at: datetime, now: datetime) -> datetime:
    cycle = cycle_at(member_id=member_id, registered_at=registered_at, now=now)
    return due_at(member_id=member_id, registered_at=registered_at, cycle=cycle + 1)


def round_start_for(moment: datetime) -> date:
    """The first day of the (local) calendar quarter ``moment`` falls in."""
    return quarter_start(timezone.localtime(moment).date())


# The same rules in SQL, for finding due members in one statement. Parameters:
# now, spread_hours, step (months), catch_up (interval), first and last (the range of
# member ids looked at), limit (None: all). Only confirmed members are invited
# (accounts.models.MemberQuerySet.confirmed).
DUE_SQL = """
WITH m AS (
    SELECT m.id, m.ward_id, m.street_id,
           m.registered_at + make_interval(hours => ((m.id * %(prime)s) %% %(spread_hours)s)::int)
               AS anchor
    FROM accounts_member m
    JOIN accounts_user u ON u.id = m.user_id
    WHERE m.id BETWEEN %(first)s AND %(last)s
      AND m.messages_stopped_at IS NULL AND u.is_active AND {confirmed}
), k AS (
    SELECT m.*,
           ((EXTRACT(YEAR FROM %(now)s AT TIME ZONE 'UTC')::int
             - EXTRACT(YEAR FROM anchor AT TIME ZONE 'UTC')::int) * 12
            + EXTRACT(MONTH FROM %(now)s AT TIME ZONE 'UTC')::int
            - EXTRACT(MONTH FROM anchor AT TIME ZONE 'UTC')::int) / %(step)s AS n
    FROM m
    WHERE anchor <= %(now)s
), c AS (
    SELECT k.id, k.ward_id, k.street_id, k.anchor,
           CASE WHEN k.anchor + make_interval(months => %(step)s * k.n) <= %(now)s
                THEN k.n ELSE k.n - 1 END AS cycle
    FROM k
), due AS (
    SELECT c.id AS member_id, c.ward_id, c.street_id, c.cycle,
           c.anchor + make_interval(months => %(step)s * c.cycle) AS due_at
    FROM c
    WHERE c.cycle >= 1
)
SELECT member_id, ward_id, street_id, cycle, due_at
FROM due
WHERE due_at > %(now)s - %(catch_up)s
  AND NOT EXISTS (
      SELECT 1 FROM surveys_invitation i
      WHERE i.member_id = due.member_id AND i.cycle = due.cycle
  )
ORDER BY member_id
LIMIT %(limit)s
""".format(confirmed=CONFIRMED_MEMBER_SQL.format(user_id="u.id"))  # noqa: S608 - constants
