"""Targeted set-ups and door-knock visits.

A supervisor plans a :class:`SetUp` (where, whom to reach, whether registered homes are
visited again, when, by whom); its streets are fixed when it is created, each with the
households and members it had then, so "before and after" stays true however long the
set-up runs. Officers record a :class:`Visit` per door; each carries the idempotency key
its phone made, so a visit sent twice (offline, then again) is kept once.

A set-up is never deleted once it has visits (``Visit.setup`` protects it, and
``services.setup_delete`` refuses first with a clear message); an archived set-up leaves
the active lists and keeps its reports.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q

from areas.census import ETHNIC_CATEGORIES
from areas.models import BNG, Area, GeodemographicClass, Street
from core.lifecycle import Lifecycle

ETHNIC_CHOICES = [(c.key, c.label) for c in ETHNIC_CATEGORIES]


class SetUp(Lifecycle, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ARCHIVED = "archived", "Archived"

    # The lifecycle (core.lifecycle). A closed set-up may be opened again (a review that
    # finds streets left); an archived one is final, its reports kept.
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.ARCHIVED, Status.OPEN},
        Status.ARCHIVED: set(),
    }
    FINAL = {Status.ARCHIVED}
    ACTIVE = (Status.DRAFT, Status.OPEN, Status.CLOSED)

    class AreaKind(models.TextChoices):
        WARDS = "wards", "Whole wards"
        STREETS = "streets", "Chosen streets"
        SHAPE = "shape", "A shape drawn on the map"

    class Target(models.TextChoices):
        ALL = "all", "All households"
        LOW_MEMBERSHIP = "low_membership", "Streets with low membership"
        LOW_CONFIDENCE = "low_confidence", "Streets whose respondents reported low confidence"
        GROUP_AREAS = "group_areas", "Output areas of a group under-represented among members"
        COMMUNITY = "community", "Output areas where a community named in the Census lives"

    name = models.CharField(max_length=150)
    purpose = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The area that decides who among management sees the set-up (the smallest area in
    # the creator's scope holding every ward of it).
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="setups")
    area_kind = models.CharField(max_length=10, choices=AreaKind.choices)
    wards = models.ManyToManyField(Area, blank=True, related_name="+")
    shape = models.MultiPolygonField(srid=BNG, null=True, blank=True)
    target = models.CharField(max_length=20, choices=Target.choices, default=Target.ALL)
    # GROUP_AREAS: the geodemographic group (ONS area classification) whose output areas
    # are knocked: the insight pages name the groups under-represented among members.
    group = models.ForeignKey(
        GeodemographicClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # COMMUNITY: the Census ethnic group (a key of areas.census). Known per MSOA only, so
    # the output areas knocked are those of the MSOAs where its share of residents is
    # highest, until they hold half of its residents
    # (areas.selectors.output_areas_where_group_lives).
    community = models.CharField(max_length=30, blank=True, choices=ETHNIC_CHOICES)
    revisit_members = models.BooleanField(
        default=False, help_text="Visit homes already registered again."
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="setups_assigned"
    )
    # Community groups' members on the set-up's streets when it was created.
    baseline = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "set-up"
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="setup_ends_after_start"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    @property
    def community_label(self) -> str:
        return self.get_community_display() if self.community else ""

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SetUpStreet(models.Model):
    """A street of a set-up, in its priority order, with what it had when planned."""

    setup = models.ForeignKey(SetUp, on_delete=models.CASCADE, related_name="setup_streets")
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="setup_streets")
    priority = models.PositiveIntegerField(help_text="1 = knock first.")
    score = models.FloatField(null=True, blank=True)
    households = models.PositiveIntegerField(null=True, blank=True)
    members_before = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["setup", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["setup", "street"], name="setup_street_unique")
        ]

    def __str__(self) -> str:
        return f"{self.setup_id}: {self.street_id}"


class Visit(models.Model):
    """One knock on one door, as the officer recorded it (perhaps offline, sent later)."""

    class Outcome(models.TextChoices):
        REGISTERED = "registered", "Registered now"
        SURVEY = "survey", "Survey taken on the doorstep"
        NOT_IN = "not_in", "Not in"
        DECLINED = "declined", "Declined"
        MEMBER = "member", "Already a member"
        DO_NOT_KNOCK = "do_not_knock", "Do not knock again"

    # Doors these outcomes leave are hidden from the whole team: for good, or for the
    # rest of the day the door was knocked.
    HIDE_ALWAYS = (Outcome.DECLINED, Outcome.DO_NOT_KNOCK)
    HIDE_TODAY = (Outcome.NOT_IN,)
    # Homes already registered: hidden unless the set-up visits them again.
    REGISTERED_HOMES = (Outcome.REGISTERED, Outcome.MEMBER)

    key = models.UUIDField(unique=True, default=uuid.uuid4, help_text="Made by the phone.")
    setup = models.ForeignKey(SetUp, on_delete=models.PROTECT, related_name="visits")
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="visits")
    house = models.CharField(max_length=100, help_text="House number or name.")
    # The house as compared: lower case, single spaces ("12a", "rose cottage").
    door = models.CharField(max_length=100, db_index=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="visits"
    )
    visited_at = models.DateTimeField(help_text="When the officer knocked (their phone's time).")
    received_at = models.DateTimeField(auto_now_add=True)
    sent_later = models.BooleanField(default=False, help_text="Queued on the phone offline.")
    # A survey the officer took with the resident (surveys.Response): taken by staff.
    survey_response = models.OneToOneField(
        "surveys.Response",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="doorstep_visit",
    )

    class Meta:
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["setup", "street", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.house}, {self.street_id}: {self.outcome}"


class SetUpComment(models.Model):
    """A supervisor's review comment on a set-up."""

    setup = models.ForeignKey(SetUp, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.setup_id}"
