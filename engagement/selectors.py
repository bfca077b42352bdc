"""Reads of the engagement side, always for a requesting user (or the public)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import areas_for
from areas.models import Area

from . import survey_facts
from .models import InboxReply, Team, TeamMembership, YouSaidWeDid
from .survey_facts import Snapshot, Vote


def items_for(user: User, *, status: str = "") -> QuerySet[YouSaidWeDid]:
    qs = YouSaidWeDid.objects.filter(area__in=areas_for(user)).select_related("area")
    return qs.filter(status=status) if status else qs


def open_items_for(user: User, *, area: Area) -> QuerySet[YouSaidWeDid]:
    """The user's "You said, we did" items for ``area`` not yet done, oldest first."""
    return (
        items_for(user)
        .filter(area=area)
        .exclude(status=YouSaidWeDid.Status.DONE)
        .order_by("created_at", "pk")
    )


def get_item_for_user(user: User, pk: int) -> YouSaidWeDid:
    try:
        return items_for(user).get(pk=pk)
    except YouSaidWeDid.DoesNotExist:
        raise Http404 from None


def teams_for(user: User) -> QuerySet[Team]:
    return Team.objects.filter(area__in=areas_for(user)).select_related("area")


def get_team_for_user(user: User, pk: int) -> Team:
    try:
        return teams_for(user).get(pk=pk)
    except Team.DoesNotExist:
        raise Http404 from None


def my_teams(user: User) -> QuerySet[Team]:
    """Teams in the user's scope, theirs first."""
    return teams_for(user).filter(memberships__user=user).distinct()


def inbox_for(user: User, team: Team, *, status: str = InboxReply.Status.OPEN):
    return (
        InboxReply.objects.filter(team=team, status=status)
        .select_related("reply__message", "reply__ward", "assigned_to")
        .order_by("created_at" if status == InboxReply.Status.OPEN else "-handled_at")
    )


def unhandled_replies_count(user: User, *, ward: Area) -> int:
    """Replies from ``ward``'s members still open in the inboxes of the user's teams."""
    return InboxReply.objects.filter(
        team__in=teams_for(user), reply__ward=ward, status=InboxReply.Status.OPEN
    ).count()


def get_inbox_entry_for_user(user: User, pk: int) -> InboxReply:
    try:
        return (
            InboxReply.objects.filter(team__in=teams_for(user))
            .select_related("team__area", "reply__message", "reply__member__user", "reply__ward")
            .get(pk=pk)
        )
    except InboxReply.DoesNotExist:
        raise Http404 from None


# --- The ward page (public, and the same on officers' ward pages) ------------------------


@dataclass
class ItemResults:
    item: YouSaidWeDid
    priority_names: list[str]
    before: Snapshot | None
    after: Snapshot | None

    def votes(self, snapshot: Snapshot | None) -> list[Vote]:
        return snapshot.votes_for(self.item.priorities) if snapshot else []

    @property
    def rows(self) -> list[tuple[str, Vote | None, Vote | None]]:
        """(priority name, before, after) for the item's priorities."""
        before = {v.slug: v for v in self.votes(self.before)}
        after = {v.slug: v for v in self.votes(self.after)}
        return [
            (name, before.get(slug), after.get(slug))
            for slug, name in zip(self.item.priorities, self.priority_names, strict=True)
        ]


@dataclass
class WardPage:
    ward: Area
    team: Team | None
    members: list[TeamMembership] = field(default_factory=list)
    local_priorities: list[str] = field(default_factory=list)
    items: list[ItemResults] = field(default_factory=list)
    latest: Snapshot | None = None


def _quarter_start(day: date) -> date:
    # Survey rounds are calendar quarters.
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _up_from(ward: Area) -> list[int]:
    ids, area = [], ward
    while area is not None:
        ids.append(area.pk)
        area = area.parent
    return ids


def public_ward(code: str) -> Area:
    try:
        return Area.objects.select_related("parent__parent").get(code=code, level=Area.Level.WARD)
    except Area.DoesNotExist:
        raise Http404 from None


def ward_page(ward: Area, *, items: int = 10) -> WardPage:
    """What the public sees of a ward: done items with the survey before and after, the
    team, and its local priorities. Nothing about any member of the public."""
    team = Team.objects.filter(area=ward, is_neighbourhood=True).first()
    page = WardPage(ward=ward, team=team)
    if team is not None:
        page.members = list(
            team.memberships.filter(user__is_active=True).select_related("user__officer_profile")
        )
        page.local_priorities = survey_facts.priority_names(
            list(team.local_priorities.values_list("priority", flat=True))
        )
    done = YouSaidWeDid.objects.filter(
        area_id__in=_up_from(ward), status=YouSaidWeDid.Status.DONE
    ).order_by("-done_at")[:items]
    # Results are per quarter: items of the same quarters share them.
    memo: dict[tuple[str, date], Snapshot | None] = {}

    def quarter_of(kind: str, moment) -> Snapshot | None:
        start = _quarter_start(timezone.localdate(moment))
        if (kind, start) not in memo:
            fetch = survey_facts.snapshot if kind == "before" else survey_facts.snapshot_after
            memo[kind, start] = fetch(area=ward, on=start)
        return memo[kind, start]

    for item in done:
        page.items.append(
            ItemResults(
                item=item,
                priority_names=survey_facts.priority_names(item.priorities),
                before=quarter_of("before", item.created_at),
                after=quarter_of("after", item.done_at),
            )
        )
    page.latest = survey_facts.snapshot(area=ward, on=timezone.localdate())
    return page


def team_votes(team: Team) -> Snapshot | None:
    """The latest quarter's priority votes in the team's area (to choose local ones)."""
    return survey_facts.snapshot(area=team.area, on=timezone.localdate())
