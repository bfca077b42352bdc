"""The outbox: every message to members (and to staff) goes out as ``Delivery`` rows.

A ``Message`` is what is said (an officer's alert to an area, or a system message
such as a survey round's invitation or an officer's weekly briefing); a ``Delivery`` is
that message to one member (or one member of staff) by one channel. Deliveries are
unique per (message, recipient, channel), so resolving an audience twice cannot queue a
second copy, and a task claims a row with a conditional
UPDATE (``pending`` -> ``sending``) before it sends, so a retry or a second worker
cannot send it twice.

An officer's message has an audience (``alerts.audiences``: an area, a street, a circle,
a shape, community groups, or a source a higher app registers), resolved when it is
sent, and up to three versions of its text (``alerts.versions``), each member getting
the one that fits what they said in the survey. A ``Reply`` is a member's answer to a
message, made from the signed link in it without signing in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Member
from areas.models import Area
from core.lifecycle import Lifecycle


class Version(models.TextChoices):
    """The versions of an officer's message, by what each member said in the survey."""

    # Raised one of the message's survey priorities in their latest answers.
    SAID = "said", _("You said, we did")
    # Answered the survey, raising other priorities.
    GENERAL = "general", _("General")
    # Has not answered the survey: the text invites them to.
    INVITE = "invite", _("Invitation to answer")


class Message(Lifecycle, models.Model):
    class Kind(models.TextChoices):
        # An officer's news for an area; the member's frequency limit applies.
        ALERT = "alert", _("Alert")
        # Messages a member signed up for by registering (the quarterly survey); they
        # are not news and do not count against the frequency limit.
        SURVEY_INVITATION = "survey_invitation", _("Survey invitation")
        SURVEY_REMINDER = "survey_reminder", _("Survey reminder")
        # An answer from staff to one member's reply: not news, never capped.
        DIRECT = "direct", _("Answer to a reply")
        # About the member's own membership (their email address was refused): not news.
        ACCOUNT = "account", _("About your membership")
        # An officer's weekly briefing for their wards (targeting): to staff, not members.
        BRIEFING = "briefing", _("Weekly briefing")
        # A notice to staff (a reply arrived in the team's inbox, the team's digest): its
        # subject and body are the whole text, written by the app that sends it.
        STAFF_NOTICE = "staff_notice", _("Notice to staff")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    # The lifecycle (core.lifecycle). Sending claims the draft, so it is sent once.
    TRANSITIONS = {
        Status.DRAFT: {Status.SENT},
        Status.SENT: set(),
    }
    FINAL = {Status.SENT}

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ALERT)
    # System messages are found again by key (e.g. "survey:2025-04-01:invitation").
    key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    subject = models.CharField(max_length=200)
    # The general version (and the only one of system messages).
    body = models.TextField(blank=True)
    # Officers' messages: the text of each version by Version value; ``body`` is "general".
    bodies = models.JSONField(default=dict, blank=True)
    # Survey priority slugs the message is about (surveys' taxonomy, which alerts does
    # not import): members who raised one of them get the "said" version.
    priorities = models.JSONField(default=list, blank=True)
    # Who it goes to (alerts.audiences.Audience as JSON), resolved when it is sent.
    audience = models.JSONField(default=dict, blank=True)
    saved_audience = models.ForeignKey(
        "SavedAudience", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    # Urgent (a missing person): goes regardless of the frequency cap; supervisors only.
    urgent = models.BooleanField(default=False)
    # What made it, e.g. "engagement.item:12" (free text for the app that made it).
    source = models.CharField(max_length=80, blank=True)
    # The area that decides who among staff sees the message (the audience's area).
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    # DIRECT messages: the reply they answer.
    in_reply_to = models.ForeignKey(
        "Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages_created",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    def body_for(self, version: str) -> str:
        """The text of ``version``; the general text where that version has none."""
        return self.bodies.get(version) or self.body


class Delivery(Lifecycle, models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Not sent because the member stopped messages, left, or has no address.
        SKIPPED = "skipped", _("Not sent")

    # The lifecycle (core.lifecycle). Only the caller that moves a row from pending to
    # sending sends it; a failed attempt puts it back to pending for a retry. A row a
    # lost worker left in sending is failed by the sweeper, never sent again.
    TRANSITIONS = {
        Status.PENDING: {Status.SENDING},
        Status.SENDING: {Status.SENT, Status.FAILED, Status.SKIPPED, Status.PENDING},
        Status.SENT: set(),
        Status.FAILED: set(),
        Status.SKIPPED: set(),
    }
    FINAL = {Status.SENT, Status.FAILED, Status.SKIPPED}

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    # The recipient: a member, or (for staff messages such as an officer's weekly briefing)
    # a member of staff; exactly one of the two. Erasure deletes a member's deliveries
    # (registered in alerts.apps). Staff are emailed at their sign-in address; the
    # frequency cap and members' preferences and unsubscribe links do not apply to them.
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_deliveries",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Small ids the message's renderer needs (e.g. {"invitation": 12}); never personal data.
    context = models.JSONField(default=dict, blank=True)
    # Which version of an officer's message this member gets (blank for system messages).
    version = models.CharField(max_length=10, choices=Version.choices, blank=True)
    # Text messages in the member's quiet hours wait until then (never dropped).
    not_before = models.DateTimeField(null=True, blank=True)
    # Where measurable (the provider's open events through its tracking webhook).
    opened_at = models.DateTimeField(null=True, blank=True)
    # The provider's message id, to match its tracking events to this delivery.
    provider_id = models.CharField(max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The address used, kept for the member's own export; deleted with them.
    to = models.CharField(max_length=254, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["message", "member", "channel"], name="delivery_once_per_recipient"
            ),
            models.UniqueConstraint(
                fields=["message", "user", "channel"], name="delivery_once_per_staff_recipient"
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, user__isnull=True)
                | Q(member__isnull=True, user__isnull=False),
                name="delivery_to_a_member_or_a_user",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "created_at"]),
            models.Index(
                fields=["created_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="delivery_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        to = f"member {self.member_id}" if self.member_id else f"staff user {self.user_id}"
        return f"{self.get_channel_display()} to {to}: {self.status}"


class Reply(models.Model):
    """A member's reply to a message, written from the signed link in it (no sign-in).

    Made only by ``alerts.services.reply_create``, which then calls the handlers higher
    apps registered (``alerts.replies``): engagement routes it to the area's team.
    ``ward`` is where the member lived when they replied, so the reply stays with that
    ward's team if they move. Deleted with the member (their words, about them).
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="replies")
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="replies")

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "replies"
        constraints = [
            # A reply link is spent once used: one reply per delivery.
            models.UniqueConstraint(fields=["delivery"], name="reply_once_per_delivery"),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} to message {self.message_id}"


class SavedAudience(models.Model):
    """An audience kept by name, resolved again every time it is used (so it stays current)."""

    name = models.CharField(max_length=100)
    audience = models.JSONField()
    # Staff who see it: those whose scope holds this area (as for messages).
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="saved_audiences")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_audiences",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MessagingSettings(models.Model):
    """Settings admins change on a page (one row): the frequency cap across all senders."""

    weekly_cap = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="At most this many non-urgent messages per member in any 7 days, from all "
        "senders together (survey invitations and answers to replies do not count).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "messaging settings"

    def __str__(self) -> str:
        return "Messaging settings"

    @classmethod
    def load(cls) -> MessagingSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class MemberPreferences(models.Model):
    """What a member chose from a message's preferences link, and their address's state.

    Channels and frequency live on ``Member``; here are the message types they take, the
    quiet hours text messages wait out, and whether their email address was refused.
    """

    class Type(models.TextChoices):
        NEWS = "news", _("News and appeals from your local team")
        SAID = "said", _("What we did about what you told us")

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="preferences")
    types = models.JSONField(default=list, blank=True)  # empty: every type
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    # A permanent refusal (SMTP 5xx, a provider's bounce): nothing is emailed until the
    # member gives a new address.
    email_suspended_at = models.DateTimeField(null=True, blank=True)
    email_suspended_reason = models.CharField(max_length=200, blank=True)
    # Counts confirmed changes: a confirmation link names the count it was made at.
    changes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "member preferences"

    def __str__(self) -> str:
        return f"Preferences of member {self.member_id}"

    def takes(self, type_: str) -> bool:
        return not self.types or type_ in self.types


class DeliveryEvent(models.Model):
    """What a mail provider told us about a delivery (anymail's tracking webhook)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)  # anymail's event_type: opened, bounced...
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} for delivery {self.delivery_id}"
