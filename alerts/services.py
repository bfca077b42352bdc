"""Writes for the outbox: queue deliveries, send one, sweep what was left behind.

Exactly-once, as far as we control it: a delivery exists once per (message, member,
channel), or (message, user, channel) for staff (unique constraints; creating them again
is a no-op), and is sent only by
whoever moves it from ``pending`` to ``sending`` with a conditional UPDATE. A worker
that dies after claiming leaves the row in ``sending``; the sweeper marks it failed
rather than risk a second copy.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation

from accounts.models import Member, User
from accounts.permissions import areas_for, staff_profile, user_has_role
from core.lifecycle import InvalidTransition, transition, transition_where

from . import rendering
from .audiences import (
    WIDE_ROLES,
    Audience,
    AudienceNotAllowed,
    audience_check,
    audience_members,
)
from .channels import Channel, ChannelError, PermanentRefusal, get_channel
from .guard import cap_lock, within_frequency
from .models import (
    Delivery,
    MemberPreferences,
    Message,
    MessagingSettings,
    Reply,
    SavedAudience,
    Version,
)
from .preferences import email_suspend, quiet_until
from .replies import replies_dispatch_on_commit
from .selectors import members_receiving
from .versions import priority_names, with_versions

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
TASK_BATCH = 100
STALE_PENDING = timedelta(minutes=10)
STALE_SENDING = timedelta(minutes=30)


class Outcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    # A text message in the member's quiet hours: back to pending until ``not_before``.
    DEFERRED = "deferred"
    # Still waiting out quiet hours (queued early, e.g. by a retry): left for later.
    NOT_DUE = "not_due"
    NOT_CLAIMED = "not_claimed"


class MessageAlreadySent(Exception):
    pass


# (member id, channel, context) or (member id, channel, context, version)
Recipient = tuple


# One statement for any number of deliveries, from a SELECT of recipients (message_id,
# member_id, channel, context jsonb, version): rows that exist already (same message,
# member and channel) are left as they are and not returned, so only new rows are
# enqueued. Every value is a query parameter.
INSERT_DELIVERIES_SQL = """
WITH recipients AS ({recipients})
INSERT INTO alerts_delivery
    (message_id, member_id, channel, status, context, version, created_at, attempts,
     "to", error, provider_id)
SELECT r.message_id, r.member_id, r.channel, 'pending', r.context, r.version,
       %(now)s, 0, '', '', ''
FROM recipients r
ORDER BY r.message_id, r.member_id, r.channel
ON CONFLICT (message_id, member_id, channel) DO NOTHING
RETURNING id
"""
LISTED_RECIPIENTS_SQL = """
SELECT %(message)s::bigint AS message_id, r.member_id, r.channel, r.context::jsonb AS context,
       r.version
FROM unnest(%(members)s::bigint[], %(channels)s::text[], %(contexts)s::text[],
            %(versions)s::text[]) AS r(member_id, channel, context, version)
"""


def deliveries_create(
    *, message: Message, recipients: Iterable[Recipient], now: datetime | None = None
) -> list[int]:
    """Queue ``message`` for each (member id, channel, context[, version]); return the ids
    of the deliveries this call made.

    Safe to call twice or at the same time as another call: a delivery that exists (the
    unique constraint on message, member and channel) is left as it is, and only the
    rows inserted here are enqueued, once the surrounding transaction commits.
    """
    members, channels, contexts, versions = [], [], [], []
    for recipient in recipients:
        members.append(recipient[0])
        channels.append(recipient[1])
        contexts.append(json.dumps(recipient[2] or {}))
        versions.append(recipient[3] if len(recipient) > 3 else "")
    if not members:
        return []
    return deliveries_create_select(
        recipients=LISTED_RECIPIENTS_SQL,
        params={"message": message.pk, "members": members, "channels": channels,
                "contexts": contexts, "versions": versions},
        now=now,
    )  # fmt: skip


def deliveries_create_select(
    *, recipients: str, params: Mapping, now: datetime | None = None
) -> list[int]:
    """Queue a delivery for each row of the SELECT ``recipients`` (columns message_id,
    member_id, channel, context, version; values as ``%(name)s`` parameters from
    ``params``); return the ids of the deliveries it made.

    The set-based form of :func:`deliveries_create`, with the same guarantees: for a
    large send (a survey round) the recipients never pass through Python.
    """
    sql = INSERT_DELIVERIES_SQL.format(recipients=recipients)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "now": now or timezone.now()})
        ids = [row[0] for row in cursor.fetchall()]
    deliveries_enqueue_on_commit(ids)
    return ids


def deliveries_to_staff_create(
    *, message: Message, users: Iterable[User], now: datetime | None = None
) -> list[int]:
    """Queue ``message`` by email to each member of staff in ``users``; return the ids of
    the deliveries this call made (one per message and user: a second call makes none).

    Staff messages (an officer's weekly briefing) are not news to the public: the
    frequency cap and members' preferences do not apply, and they carry no unsubscribe
    link (staff turn them off in their own settings, which the sender checks).
    """
    now = now or timezone.now()
    ids = []
    for user in users:
        delivery, created = Delivery.objects.get_or_create(
            message=message,
            user=user,
            channel=Delivery.Channel.EMAIL,
            defaults={"created_at": now},
        )
        if created:
            ids.append(delivery.pk)
    deliveries_enqueue_on_commit(ids)
    return ids


def staff_message_send(
    *,
    kind: str,
    key: str,
    subject: str,
    users: Iterable[User],
    body: str = "",
    source: str = "",
    now: datetime | None = None,
) -> Message | None:
    """A message to members of staff (a weekly briefing, a notice), queued in the outbox
    once per ``key``: None when a message with that key was made already. Its renderer
    (by ``kind``) writes the text when each delivery is sent."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                kind=kind,
                key=key,
                subject=subject[:200],
                body=body,
                source=source,
                status=Message.Status.SENT,
                created_at=now,
                sent_at=now,
            )
            deliveries_to_staff_create(message=message, users=users, now=now)
    except IntegrityError:
        return None
    return message


def deliveries_enqueue_on_commit(ids: list[int]) -> None:
    if not ids:
        return

    def enqueue() -> None:
        from .tasks import QUEUE, send_deliveries

        # One broker connection for all the batches (a round is hundreds of tasks).
        with send_deliveries.app.producer_or_acquire() as producer:
            for start in range(0, len(ids), TASK_BATCH):
                send_deliveries.apply_async(
                    args=[ids[start : start + TASK_BATCH]], queue=QUEUE, producer=producer
                )

    transaction.on_commit(enqueue)


def delivery_enqueue_when_due(*, delivery_id: int) -> None:
    """Queue a delivery waiting out quiet hours for when they end (the sweeper queues it
    then too, should this be lost; the claim makes sure it is sent once)."""
    from .tasks import QUEUE, send_deliveries

    due = Delivery.objects.filter(pk=delivery_id).values_list("not_before", flat=True).first()
    send_deliveries.apply_async(args=[[delivery_id]], queue=QUEUE, eta=due)


def channels_for(member: Member) -> list[str]:
    """The channels a member chose for news (an email address refused for good is not
    used until they give a new one)."""
    chosen = []
    if member.by_email and not email_suspended(member):
        chosen.append(Delivery.Channel.EMAIL)
    if member.by_sms and member.phone:
        chosen.append(Delivery.Channel.SMS)
    return chosen


def email_suspended(member: Member) -> bool:
    prefs = _preferences_of(member)
    return prefs is not None and prefs.email_suspended_at is not None


def _preferences_of(member: Member) -> MemberPreferences | None:
    try:
        return member.preferences
    except MemberPreferences.DoesNotExist:
        return None


# --- Officers' messages ---------------------------------------------------------------------


class ReplyLinkSpent(Exception):
    """A reply was already made from this delivery's link."""


def default_bodies(*, general: str, priorities: Sequence[str]) -> dict[str, str]:
    """The three versions made from the one text the sender writes (each can be edited)."""
    from django.utils.translation import gettext as _

    # Inside a sentence: "You told us anti-social behaviour mattered..."
    names = ", ".join(name[:1].lower() + name[1:] for name in priority_names(priorities))
    said = (
        _("You told us %(priorities)s mattered where you live. This is what we did:")
        % {"priorities": names}
        + "\n\n"
        + general
        if names
        else general
    )
    invite = (
        general
        + "\n\n"
        + _(
            "Tell us what matters where you live: answer our quarterly survey when it "
            "reaches you, or sign in to answer it now."
        )
    )
    return {Version.SAID: said, Version.GENERAL: general, Version.INVITE: invite}


def _draft_fields(
    *,
    sender: User,
    subject: str,
    bodies: Mapping[str, str],
    priorities: Sequence[str],
    audience: Audience,
    urgent: bool,
) -> dict:
    if urgent and not user_has_role(sender, WIDE_ROLES):
        raise AudienceNotAllowed("Only a supervisor can mark a message urgent.")
    area = audience_check(audience, user=sender)
    general = (bodies.get(Version.GENERAL) or "").strip()
    made = default_bodies(general=general, priorities=priorities)
    texts = {v: (bodies.get(v) or "").strip() or made[v] for v in Version.values}
    return {
        "subject": subject.strip(),
        "body": general,
        "bodies": texts,
        "priorities": list(dict.fromkeys(priorities)),
        "audience": audience.to_json(),
        "urgent": urgent,
        "area": area,
    }


@transaction.atomic
def message_draft_create(
    *,
    sender: User,
    subject: str,
    bodies: Mapping[str, str],
    priorities: Sequence[str],
    audience: Audience,
    urgent: bool = False,
    source: str = "",
    saved_audience: SavedAudience | None = None,
) -> Message:
    """A draft of an officer's message, for the preview page (``alerts_message_preview``).

    ``bodies`` holds the text of each version by ``alerts.models.Version`` value
    ("said", "general", "invite"); "general" is the text the sender writes, and a version
    left out (or empty) is made from it (:func:`default_bodies`). ``priorities`` are
    survey priority slugs: members who raised one of them in their latest answers get
    the "said" version. ``audience`` is an ``alerts.audiences.Audience``, resolved only
    when the message is sent. ``source`` says what made it (e.g. "engagement.item:12").

    Raises ``AudienceNotAllowed`` when ``sender`` may not send to that audience (outside
    their scope; a district or the force without being a supervisor) or may not mark it
    urgent (supervisors only). Nothing is sent until ``message_send``.
    """
    fields = _draft_fields(
        sender=sender, subject=subject, bodies=bodies, priorities=priorities,
        audience=audience, urgent=urgent,
    )  # fmt: skip
    return Message.objects.create(
        kind=Message.Kind.ALERT,
        created_by=sender,
        source=source[:80],
        saved_audience=saved_audience,
        **fields,
    )


@transaction.atomic
def message_draft_update(
    *,
    message: Message,
    sender: User,
    subject: str,
    bodies: Mapping[str, str],
    priorities: Sequence[str],
    audience: Audience,
    urgent: bool = False,
    saved_audience: SavedAudience | None = None,
) -> Message:
    """Change a draft (the same checks as :func:`message_draft_create`)."""
    if message.status != Message.Status.DRAFT:
        raise MessageAlreadySent(f"message {message.pk} was already sent")
    fields = _draft_fields(
        sender=sender, subject=subject, bodies=bodies, priorities=priorities,
        audience=audience, urgent=urgent,
    )  # fmt: skip
    for name, value in fields.items():
        setattr(message, name, value)
    message.saved_audience = saved_audience
    message.save(update_fields=[*fields, "saved_audience"])
    return message


def messaging_settings_save(*, settings: MessagingSettings) -> MessagingSettings:
    settings.pk = 1
    settings.save()
    return settings


def saved_audience_create(*, user: User, name: str, audience: Audience) -> SavedAudience:
    area = audience_check(audience, user=user)
    return SavedAudience.objects.create(
        name=name.strip()[:100], audience=audience.to_json(), area=area, created_by=user
    )


def message_recipients(
    message: Message, *, members: QuerySet[Member] | None = None, now: datetime
) -> QuerySet[Member]:
    """Who ``message`` would reach now, after the cap and preferences, with ``version``.

    Shared by the preview (counts) and sending (deliveries), so the preview shows what
    sending does.
    """
    if members is None:
        members = audience_members(Audience.from_json(message.audience), user=message.created_by)
    audience = members_receiving(members)
    if message.kind != Message.Kind.ALERT:
        return audience
    audience = within_frequency(audience, now=now, urgent=message.urgent)
    if not message.urgent:
        audience = _taking(audience, message_type(message))
    return with_versions(audience, priorities=message.priorities, now=now)


def message_type(message: Message) -> str:
    return MemberPreferences.Type.SAID if message.priorities else MemberPreferences.Type.NEWS


def _taking(members: QuerySet[Member], type_: str) -> QuerySet[Member]:
    """Members whose preferences take messages of ``type_`` (no choice made: every type)."""
    declined = MemberPreferences.objects.exclude(types=[]).exclude(types__contains=[type_])
    return members.exclude(pk__in=declined.values("member_id"))


@transaction.atomic
def message_send(
    *,
    message: Message,
    members: QuerySet[Member] | None = None,
    now: datetime | None = None,
) -> int:
    """Send a draft message (by the channels each member chose). Returns how many
    deliveries were queued.

    The audience is resolved here, once: the message's own audience unless ``members``
    is given; members who stopped messages are left out, and for alerts anyone the
    frequency guard holds back (under the cap's lock, so two senders take turns) or
    whose preferences decline this type. Each delivery records its version.
    """
    now = now or timezone.now()
    try:
        transition(message, Message.Status.SENT, sent_at=now)
    except InvalidTransition as refused:
        raise MessageAlreadySent(f"message {message.pk} was already sent") from refused
    if message.kind == Message.Kind.ALERT:
        cap_lock()
    audience = message_recipients(message, members=members, now=now)
    recipients = [
        (member.pk, channel, {}, member.version)
        for member in audience.select_related("preferences").only(
            "pk", "by_email", "by_sms", "phone", "preferences__email_suspended_at"
        )
        for channel in channels_for(member)
    ]
    return len(deliveries_create(message=message, recipients=recipients, now=now))


@transaction.atomic
def message_to_member_send(
    *,
    sender: User,
    member: Member,
    subject: str,
    body: str,
    in_reply_to: Reply | None = None,
    now: datetime | None = None,
) -> Message:
    """An answer from staff to one member (usually to their reply), through the outbox.

    Not news: the frequency cap and the member's frequency do not apply (and it does not
    count against them); a member who stopped messages or left gets nothing. Refused
    (``AudienceNotAllowed``) when the member's ward is outside ``sender``'s scope.
    """
    now = now or timezone.now()
    if not areas_for(sender).filter(pk=member.ward_id).exists():
        raise AudienceNotAllowed("That member is not in your areas.")
    message = Message.objects.create(
        kind=Message.Kind.DIRECT,
        subject=subject.strip()[:200],
        body=body.strip(),
        area_id=member.ward_id,
        created_by=sender,
        in_reply_to=in_reply_to,
        status=Message.Status.SENT,
        sent_at=now,
        created_at=now,
    )
    receiving = members_receiving(Member.objects.filter(pk=member.pk)).first()
    if receiving is not None:
        recipients = [(receiving.pk, channel, {}) for channel in channels_for(receiving)]
        deliveries_create(message=message, recipients=recipients, now=now)
    return message


def new_address_request(*, member: Member, now: datetime | None = None) -> Message:
    """One text message asking a member whose email address was refused for a new one."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    with translation.override(member.language or settings.LANGUAGE_CODE):
        message = Message.objects.create(
            kind=Message.Kind.ACCOUNT,
            subject=str(_("Your email address")),
            body=str(
                _(
                    "Our messages to your email address could not be delivered. Give us a "
                    "new address with the link below."
                )
            ),
            area_id=member.ward_id,
            status=Message.Status.SENT,
            sent_at=now,
            created_at=now,
        )
    deliveries_create(message=message, recipients=[(member.pk, Delivery.Channel.SMS, {})], now=now)
    return message


REPLY_MAX_LENGTH = 5000


def reply_create(*, delivery: Delivery, body: str, now: datetime | None = None) -> Reply:
    """A member's reply to the message ``delivery`` brought them (from its reply link).

    The only way a ``Reply`` is made. One per delivery: a second raises
    ``ReplyLinkSpent``. Once the transaction commits, the handlers higher apps
    registered with ``alerts.replies.register_reply_handler`` are called with its id.
    """
    now = now or timezone.now()
    body = body.strip()[:REPLY_MAX_LENGTH]
    if not body:
        raise ValueError("a reply needs some text")
    member = delivery.member
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                message_id=delivery.message_id,
                member=member,
                delivery=delivery,
                body=body,
                received_at=now,
                ward_id=member.ward_id,
            )
            replies_dispatch_on_commit(reply.pk)
    except IntegrityError as spent:
        raise ReplyLinkSpent(f"delivery {delivery.pk} was already replied to") from spent
    return reply


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> Outcome:
    """Send one delivery if this call is the one that claims it (see :func:`deliveries_send`)."""
    return deliveries_send(delivery_ids=[delivery_id], now=now)[delivery_id]


def deliveries_send(*, delivery_ids: Sequence[int], now: datetime | None = None) -> dict:
    """Send the deliveries of a batch this call claims; return each one's ``Outcome``.

    The batch is claimed in one transaction (rows locked in id order, then moved from
    pending to sending together), read in one query, and sent through one connection
    per channel (one SMTP session for the batch's emails); each row is marked sent as
    soon as it went. A row another call claimed first is ``NOT_CLAIMED``.

    A text message that falls in the member's quiet hours goes back to pending until they
    end (``Outcome.DEFERRED``; the task queues it again for then). An email address
    refused for good fails the delivery at once and suspends the address
    (``alerts.preferences.email_suspend``: one text message asks for a new one).
    """
    now = now or timezone.now()
    outcomes = dict.fromkeys(delivery_ids, Outcome.NOT_CLAIMED)
    claimed = _claim(delivery_ids, now=now, outcomes=outcomes)
    if not claimed:
        return outcomes
    deliveries = list(
        Delivery.objects.select_related("message", "member__user", "member__preferences", "user")
        .filter(pk__in=claimed)
        .order_by("pk")
    )
    rendering.prefetch(deliveries)
    with ExitStack() as open_channels:
        channels: dict[str, Channel] = {}
        for delivery in deliveries:
            if delivery.channel not in channels:
                channels[delivery.channel] = open_channels.enter_context(
                    get_channel(delivery.channel).batch()
                )
            outcomes[delivery.pk] = _send(delivery, channels[delivery.channel], now)
    return outcomes


def _claim(delivery_ids: Sequence[int], *, now: datetime, outcomes: dict) -> list[int]:
    """Move the batch's pending rows that are due to sending; the ids this call moved.

    The rows are locked first, in id order (a second caller waits, then finds them no
    longer pending), so the one conditional UPDATE moves every row locked.
    """
    waiting = Delivery.objects.filter(pk__in=delivery_ids, not_before__gt=now)
    for pk in waiting.values_list("pk", flat=True):
        outcomes[pk] = Outcome.NOT_DUE
    with transaction.atomic():
        claimed = list(
            Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        transition_where(
            Delivery.objects.filter(pk__in=claimed),
            Delivery.Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return claimed


def _send(delivery: Delivery, channel: Channel, now: datetime) -> Outcome:
    """Send one claimed delivery and record the outcome at once. Marked sent as soon as
    it went (one short UPDATE): a worker killed mid-batch leaves at most the one row it
    was sending in doubt, for the sweeper to fail, never the batch."""
    member = delivery.member
    if member is not None and not member.receives_messages:
        return _finish(delivery, Delivery.Status.SKIPPED, error="member stopped messages")
    address = recipient_address(delivery, channel)
    if not address:
        return _finish(delivery, Delivery.Status.SKIPPED, error="no address for this channel")
    if member is not None and delivery.channel == Delivery.Channel.SMS:
        until = quiet_until(member, now=now)
        if until is not None:
            moved = _move(delivery, Delivery.Status.PENDING, not_before=until,
                          attempts=F("attempts") - 1)  # fmt: skip
            return Outcome.DEFERRED if moved else Outcome.NOT_CLAIMED
    rendered = rendering.render(delivery, now=now)
    if rendered is None:
        return _finish(delivery, Delivery.Status.SKIPPED, error="no longer applies")
    try:
        provider_id = channel.send(to=address, rendered=rendered) or ""
    except PermanentRefusal as refused:
        logger.warning("delivery %s: %s", delivery.pk, refused)
        outcome = _finish(delivery, Delivery.Status.FAILED, error=str(refused))
        if member is not None:  # a staff address is the admins' to fix, not suspended
            with transaction.atomic():
                email_suspend(member_id=member.pk, reason=str(refused), now=now)
        return outcome
    except ChannelError as exc:
        # Read after the claim: this attempt is counted.
        logger.warning("delivery %s: %s (attempt %s)", delivery.pk, exc, delivery.attempts)
        if delivery.attempts >= MAX_ATTEMPTS:
            return _finish(delivery, Delivery.Status.FAILED, error=str(exc))
        if not _move(delivery, Delivery.Status.PENDING, error=str(exc)):
            return Outcome.NOT_CLAIMED
        return Outcome.RETRY
    return _finish(delivery, Delivery.Status.SENT, to=address, sent_at=timezone.now(),
                   provider_id=provider_id[:120])  # fmt: skip


def recipient_address(delivery: Delivery, channel) -> str:
    """Where ``delivery`` goes by its channel: the member's address for it, or a staff
    recipient's sign-in email (staff are emailed only, and only while their account and
    staff role are active)."""
    if delivery.member_id is not None:
        return channel.address_for(delivery.member)
    on_staff = staff_profile(delivery.user) is not None
    return delivery.user.email if on_staff and delivery.channel == Delivery.Channel.EMAIL else ""


def _finish(delivery: Delivery, status: str, *, error: str = "", **fields) -> Outcome:
    return (
        Outcome(status) if _move(delivery, status, error=error, **fields) else Outcome.NOT_CLAIMED
    )


def _move(delivery: Delivery, status: str, *, error: str = "", **fields) -> bool:
    """From sending to ``status``; False if the row left sending while this call held it."""
    try:
        transition(delivery, status, error=error[:300], **fields)
    except InvalidTransition:
        # The sweeper failed it (a send slower than STALE_SENDING) or the member was
        # erased: what they recorded stands, and the rest of the batch still goes out.
        logger.warning("delivery %s was no longer sending; left as it is", delivery.pk)
        return False
    return True


def outbox_sweep(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue again what was never picked up; fail what a lost worker left half-sent.

    Returns (queued again, marked failed).
    """
    now = now or timezone.now()
    failed = transition_where(
        Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_SENDING),
        Delivery.Status.FAILED,
        error="interrupted while sending; not sent again to avoid a duplicate",
    )
    stale = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, created_at__lt=now - STALE_PENDING)
        # Text messages waiting out quiet hours are queued for when they end.
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .values_list("pk", flat=True)[: settings.ALERTS_SWEEP_LIMIT]
    )
    with transaction.atomic():
        deliveries_enqueue_on_commit(stale)
    return len(stale), failed
