"""Teams, "You said, we did" items and inbox replies for tests."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from accounts.models import Member, User
from alerts.models import Reply
from alerts.services import reply_create
from areas.models import Area
from engagement.models import InboxReply, OfficerProfile, Team, TeamMembership, YouSaidWeDid
from engagement.services import inbox_reply_route
from tests.factories.alerts import make_delivery, make_message


def make_team(
    area: Area, *, members: Iterable[User] = (), name: str = "", neighbourhood: bool = True
) -> Team:
    team = Team.objects.create(
        area=area, name=name or f"{area.name} team", is_neighbourhood=neighbourhood
    )
    for n, user in enumerate(members):
        TeamMembership.objects.create(team=team, user=user, role="PCSO", order=n)
        OfficerProfile.objects.get_or_create(
            user=user, defaults={"public_name": user.name or user.email, "about": "On foot."}
        )
    return team


def make_item(area: Area, *, user: User | None = None, status: str = "raised", **fields):
    now = timezone.now()
    fields.setdefault("title", "Speeding on Mill Lane")
    fields.setdefault("said", "Cars race down Mill Lane after school.")
    fields.setdefault("source", YouSaidWeDid.Source.SURVEY)
    if status == YouSaidWeDid.Status.DONE:
        fields.setdefault("outcome", "Speed checks every week; 40 drivers stopped.")
        fields.setdefault("done_at", now)
    if status != YouSaidWeDid.Status.RAISED:
        fields.setdefault("started_at", now)
    return YouSaidWeDid.objects.create(area=area, created_by=user, status=status, **fields)


def make_reply(member: Member, body: str = "Thank you, the lane is calmer.", **message) -> Reply:
    """A reply made the one way replies are made (from a delivery), not yet routed."""
    delivery = make_delivery(member=member, message=make_message(**message))
    return reply_create(delivery=delivery, body=body)


def make_inbox_reply(member: Member, body: str = "Thank you.") -> InboxReply:
    reply = make_reply(member, body)
    # Where commits happen (a transactional test), the reply handler has routed it already.
    return inbox_reply_route(reply_id=reply.pk) or InboxReply.objects.get(reply=reply)


def engagement_objects(people, force: dict) -> dict:
    """What the access matrix opens: all in Riverside."""
    riverside = force["riverside"]
    team = make_team(riverside, members=[people.ward_officer])
    member = Member.objects.get(user=people.member)
    entry = make_inbox_reply(member)
    return {
        "item": make_item(riverside, user=people.ward_officer).pk,
        "team": team.pk,
        "membership": team.memberships.get().pk,
        "inbox_entry": entry.pk,
        "trigger_word": team.trigger_words.create(word="graffiti").pk,
    }
