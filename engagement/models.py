"""The engagement side of messaging: "You said, we did", neighbourhood teams, the inbox.

- ``YouSaidWeDid``: what the public raised, the action planned and the outcome, for an
  area and some survey priorities; raised -> in progress -> done as a lifecycle
  (core.lifecycle). Done items are published on the ward's public page.
- ``Team``: the neighbourhood team of a ward (or a named team, e.g. for hate crime, that
  trigger words route replies to); ``TeamMembership`` gives each member of staff a role,
  ``OfficerProfile`` the short profile each officer writes about themselves.
- ``LocalPriority``: the ward's current priorities, chosen by its team from the survey's
  priority votes.
- ``TriggerWord``: admins' words that route a reply to a named team.
- ``InboxReply``: a member's reply (``alerts.models.Reply``) in a team's inbox: whom it is
  assigned to, whether it was handled, the trigger words it matched.

Survey priorities are kept as slugs (surveys' taxonomy): engagement and surveys sit side
by side and do not import each other; names and votes come through
``engagement.survey_facts``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.models import Reply
from areas.models import Area
from core.lifecycle import Lifecycle


class YouSaidWeDid(Lifecycle, models.Model):
    class Source(models.TextChoices):
        SURVEY = "survey", _("Survey")
        REPLY = "reply", _("Replies to our messages")
        EVENT = "event", _("An event")
        MEETING = "meeting", _("A community meeting")

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    TRANSITIONS = {
        Status.RAISED: {Status.IN_PROGRESS},
        Status.IN_PROGRESS: {Status.DONE},
        Status.DONE: set(),
    }
    FINAL = {Status.DONE}

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="said_did_items")
    source = models.CharField(max_length=10, choices=Source.choices)
    title = models.CharField(max_length=150)
    said = models.TextField(help_text="What the public raised.")
    planned = models.TextField(blank=True, help_text="The action planned.")
    outcome = models.TextField(blank=True, help_text="What was done, and what came of it.")
    # Survey priority slugs (surveys' taxonomy).
    priorities = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.RAISED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="said_did_items",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # The last message draft made from it ("send as a message").
    message = models.ForeignKey(
        "alerts.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "you said, we did item"

    def __str__(self) -> str:
        return self.title


class Team(models.Model):
    name = models.CharField(max_length=120)
    # The ward of a neighbourhood team; a named team may cover a district or the force.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams")
    # Neighbourhood teams receive the replies of their ward's members.
    is_neighbourhood = models.BooleanField(default=True)
    # When the last digest of unhandled replies went to the team.
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(is_neighbourhood=True),
                name="one_neighbourhood_team_per_area",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(max_length=80, help_text="E.g. Neighbourhood sergeant, PCSO.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class OfficerProfile(models.Model):
    """What an officer writes about themselves for the public ward page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile"
    )
    public_name = models.CharField(max_length=100, help_text="As the public should see it.")
    about = models.TextField(max_length=600, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.public_name


class LocalPriority(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="local_priorities")
    priority = models.SlugField(max_length=40)  # a survey priority slug
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "local priorities"
        constraints = [
            models.UniqueConstraint(fields=["team", "priority"], name="local_priority_once"),
        ]

    def __str__(self) -> str:
        return f"{self.priority} in {self.team}"


class TriggerWord(models.Model):
    word = models.CharField(max_length=60, help_text="A word or phrase, matched whole.")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="trigger_words")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(fields=["word", "team"], name="trigger_word_once_per_team"),
        ]

    def __str__(self) -> str:
        return self.word


class InboxReply(Lifecycle, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not handled")
        HANDLED = "handled", _("Handled")

    TRANSITIONS = {Status.OPEN: {Status.HANDLED}, Status.HANDLED: set()}
    FINAL = {Status.HANDLED}

    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="inbox")
    # None: no team covers the member's ward yet.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox"
    )
    # The trigger words that routed it (highlighted in the inbox); empty: routed by ward.
    matched_words = models.JSONField(default=list, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "inbox replies"

    def __str__(self) -> str:
        return f"Reply {self.reply_id} in the inbox of {self.team}"


# Engagement events, their outcomes and street contacts (insight): engagement/events/.
from .events.models import CommunityContact, EngagementEvent, EventOutcome  # noqa: E402, F401
