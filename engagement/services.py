"""Writes of the engagement side: items, teams, local priorities, the reply inbox."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.permissions import areas_for, user_has_role
from alerts.audiences import SENDER_ROLES, Audience
from alerts.models import Message, Reply
from alerts.services import message_draft_create, message_to_member_send, staff_message_send
from areas.models import Area
from core.lifecycle import InvalidTransition, transition

from .models import (
    InboxReply,
    LocalPriority,
    OfficerProfile,
    Team,
    TeamMembership,
    TriggerWord,
    YouSaidWeDid,
)

# A team's digest of unhandled replies goes every 3 days (the beat runs daily; the hour's
# slack lets a daily run at the same time count as three days later).
DIGEST_EVERY = timedelta(days=3)
DIGEST_SLACK = timedelta(hours=1)


class NotAllowed(Exception):
    """The user may not do this (outside their scope, or not their role)."""


def _check_area(user: User, area: Area) -> None:
    if not user_has_role(user, SENDER_ROLES) or not areas_for(user).filter(pk=area.pk).exists():
        raise NotAllowed("That area is not one of yours.")


# --- "You said, we did" ---------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    user: User,
    area: Area,
    source: str,
    title: str,
    said: str,
    planned: str = "",
    outcome: str = "",
    priorities: Sequence[str] = (),
) -> YouSaidWeDid:
    _check_area(user, area)
    return YouSaidWeDid.objects.create(
        area=area,
        source=source,
        title=title.strip(),
        said=said.strip(),
        planned=planned.strip(),
        outcome=outcome.strip(),
        priorities=list(dict.fromkeys(priorities)),
        created_by=user,
    )


@transaction.atomic
def item_update(
    *,
    item: YouSaidWeDid,
    user: User,
    area: Area,
    source: str,
    title: str,
    said: str,
    planned: str,
    outcome: str,
    priorities: Sequence[str],
) -> YouSaidWeDid:
    _check_area(user, item.area)
    _check_area(user, area)
    item.area, item.source, item.title = area, source, title.strip()
    item.said, item.planned, item.outcome = said.strip(), planned.strip(), outcome.strip()
    item.priorities = list(dict.fromkeys(priorities))
    item.save(update_fields=["area", "source", "title", "said", "planned", "outcome", "priorities"])
    return item


class OutcomeMissing(Exception):
    """An item is done only once its outcome is written."""


@transaction.atomic
def item_move(
    *, item: YouSaidWeDid, user: User, status: str, now: datetime | None = None
) -> YouSaidWeDid:
    """raised -> in progress -> done (InvalidTransition for any other step)."""
    _check_area(user, item.area)
    now = now or timezone.now()
    if status == YouSaidWeDid.Status.DONE and not item.outcome.strip():
        raise OutcomeMissing("Write what was done before marking the item done.")
    stamp = {YouSaidWeDid.Status.IN_PROGRESS: "started_at", YouSaidWeDid.Status.DONE: "done_at"}
    fields = {stamp[status]: now} if status in stamp else {}
    return transition(item, status, **fields)


def item_message_text(item: YouSaidWeDid) -> str:
    """What the public raised, then what was done (the sender may edit it on the draft)."""
    return "\n\n".join(p for p in (item.said, item.outcome) if p)


@transaction.atomic
def item_message_draft(*, item: YouSaidWeDid, user: User) -> Message:
    """A draft message to the item's area saying what was done (opens on the preview).

    Raises InvalidTransition unless the item is done, AudienceNotAllowed when the user may
    not send to the area (a district needs a supervisor)."""
    _check_area(user, item.area)
    if item.status != YouSaidWeDid.Status.DONE:
        raise InvalidTransition(
            "only done items are sent", source=item.status, target=YouSaidWeDid.Status.DONE
        )
    message = message_draft_create(
        sender=user,
        subject=item.title,
        bodies={"general": item_message_text(item)},
        priorities=item.priorities,
        audience=Audience.for_area(item.area),
        source=f"engagement.item:{item.pk}",
    )
    item.message = message
    item.save(update_fields=["message"])
    return message


# --- Teams ----------------------------------------------------------------------------------


@transaction.atomic
def team_for_ward_get_or_create(*, ward: Area, name: str = "") -> Team:
    team, _ = Team.objects.get_or_create(
        area=ward,
        is_neighbourhood=True,
        defaults={"name": name or f"{ward.name} neighbourhood team"},
    )
    return team


def _check_team(user: User, team: Team) -> None:
    _check_area(user, team.area)


@transaction.atomic
def team_member_add(*, user: User, team: Team, member: User, role: str) -> TeamMembership:
    """Supervisors add staff whose scope covers the team's area."""
    _check_team(user, team)
    if not user_has_role(user, ("supervisor",)):
        raise NotAllowed("Only a supervisor changes who is in a team.")
    if not areas_for(member).filter(pk=team.area_id).exists():
        raise NotAllowed("That person does not work in this team's area.")
    membership, _ = TeamMembership.objects.update_or_create(
        team=team, user=member, defaults={"role": role.strip()[:80]}
    )
    return membership


@transaction.atomic
def team_member_remove(*, user: User, membership: TeamMembership) -> None:
    _check_team(user, membership.team)
    if not user_has_role(user, ("supervisor",)):
        raise NotAllowed("Only a supervisor changes who is in a team.")
    membership.delete()


@transaction.atomic
def officer_profile_save(*, user: User, public_name: str, about: str) -> OfficerProfile:
    profile, _ = OfficerProfile.objects.update_or_create(
        user=user, defaults={"public_name": public_name.strip(), "about": about.strip()}
    )
    return profile


@transaction.atomic
def local_priorities_choose(
    *, user: User, team: Team, priorities: Sequence[str], now: datetime | None = None
) -> list[LocalPriority]:
    """The team's current local priorities: these, replacing the ones before."""
    _check_team(user, team)
    now = now or timezone.now()
    wanted = list(dict.fromkeys(priorities))
    team.local_priorities.exclude(priority__in=wanted).delete()
    kept = set(team.local_priorities.values_list("priority", flat=True))
    LocalPriority.objects.bulk_create(
        [
            LocalPriority(team=team, priority=slug, chosen_by=user, chosen_at=now)
            for slug in wanted
            if slug not in kept
        ]
    )
    return list(team.local_priorities.all())


# --- The reply inbox ------------------------------------------------------------------------


def trigger_words_in(text: str, words: Sequence[str]) -> list[str]:
    """Which of ``words`` appear in ``text`` as whole words (any case), in their order."""
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


def _route(reply: Reply) -> tuple[Team | None, list[str]]:
    """A named team whose trigger words the reply holds, else the ward's team (or the
    nearest team above the ward)."""
    words: dict[int, list[str]] = {}
    for trigger in TriggerWord.objects.select_related("team").order_by("team_id", "word"):
        if trigger_words_in(reply.body, [trigger.word]):
            words.setdefault(trigger.team_id, []).append(trigger.word)
    if words:
        team_id = max(words, key=lambda t: (len(words[t]), -t))
        return Team.objects.get(pk=team_id), words[team_id]
    area = reply.ward
    while area is not None:
        team = Team.objects.filter(area=area, is_neighbourhood=True).first()
        if team is not None:
            return team, []
        area = area.parent
    return None, []


@transaction.atomic
def inbox_reply_route(*, reply_id: int) -> InboxReply | None:
    """Put a member's reply in a team's inbox and notify every member of the team.
    Safe to call twice (one inbox row per reply)."""
    reply = Reply.objects.select_related("ward__parent").filter(pk=reply_id).first()
    if reply is None or InboxReply.objects.filter(reply=reply).exists():
        return None
    team, words = _route(reply)
    entry = InboxReply.objects.create(
        reply=reply, team=team, matched_words=words, created_at=reply.received_at
    )
    if team is not None:
        from .tasks import notify_team

        transaction.on_commit(lambda: notify_team.delay(entry.pk))
    return entry


def _team_users(team: Team) -> list[User]:
    return list(
        User.objects.filter(team_memberships__team=team, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _notify(*, key: str, subject: str, body: str, users: list[User]) -> int:
    """A notice to each member of the team through the outbox (one email per person:
    colleagues' addresses are not shown to each other), once per ``key``. Returns how
    many were told."""
    message = staff_message_send(
        kind=Message.Kind.STAFF_NOTICE,
        key=key,
        subject=subject,
        body=body,
        users=users,
        source="engagement.inbox",
    )
    return 0 if message is None else len(users)


def inbox_notify(*, inbox_id: int) -> int:
    """Email every member of the team that a reply arrived (not its text: that stays
    behind sign-in). Returns how many were told."""
    entry = InboxReply.objects.select_related("team", "reply__ward").filter(pk=inbox_id).first()
    if entry is None or entry.team is None:
        return 0
    users = _team_users(entry.team)
    if not users:
        return 0
    body = render_to_string(
        "engagement/email/new_reply.txt",
        {"entry": entry, "team": entry.team, "site": settings.SITE_URL},
    )
    subject = f"New reply in the inbox of {entry.team.name}"
    return _notify(key=f"inbox:{entry.pk}:new", subject=subject, body=body, users=users)


@transaction.atomic
def inbox_assign(*, entry: InboxReply, user: User, to: User | None) -> InboxReply:
    if to is not None and not entry.team.memberships.filter(user=to).exists():
        raise NotAllowed("Assign replies to a member of the team.")
    entry.assigned_to = to
    entry.save(update_fields=["assigned_to"])
    return entry


@transaction.atomic
def inbox_handle(*, entry: InboxReply, user: User, now: datetime | None = None) -> InboxReply:
    return transition(entry, InboxReply.Status.HANDLED, handled_at=now or timezone.now())


@transaction.atomic
def inbox_answer(
    *, entry: InboxReply, user: User, body: str, now: datetime | None = None
) -> Message:
    """Answer the member back through the outbox (AudienceNotAllowed outside scope)."""
    now = now or timezone.now()
    reply = entry.reply
    message = message_to_member_send(
        sender=user,
        member=reply.member,
        subject=f"Re: {reply.message.subject}"[:200],
        body=body,
        in_reply_to=reply,
        now=now,
    )
    entry.answered_at = now
    entry.save(update_fields=["answered_at"])
    return message


# --- The digest -----------------------------------------------------------------------------


def digest_due(team: Team, *, now: datetime) -> bool:
    return team.digest_sent_at is None or now - team.digest_sent_at >= DIGEST_EVERY - DIGEST_SLACK


def digest_entries(team: Team) -> list[InboxReply]:
    return list(
        team.inbox.filter(status=InboxReply.Status.OPEN)
        .select_related("reply__message", "assigned_to")
        .order_by("created_at")
    )


def team_digest_send(*, team_id: int, now: datetime | None = None) -> bool:
    """The team's digest of unhandled replies with their age, if one is due. Returns
    whether it was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team_id)
        if not digest_due(team, now=now):
            return False
        entries = digest_entries(team)
        users = _team_users(team)
        if not entries or not users:
            return False
        team.digest_sent_at = now
        team.save(update_fields=["digest_sent_at"])
    rows = [(e, (now - e.created_at).days) for e in entries]
    body = render_to_string(
        "engagement/email/digest.txt", {"team": team, "rows": rows, "site": settings.SITE_URL}
    )
    subject = f"{len(entries)} replies waiting in the inbox of {team.name}"
    key = f"digest:{team.pk}:{now:%Y-%m-%dT%H:%M}"
    _notify(key=key, subject=subject, body=body, users=users)
    return True


def digests_send(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    ids = (
        Team.objects.filter(inbox__status=InboxReply.Status.OPEN)
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(team_digest_send(team_id=pk, now=now) for pk in ids)
