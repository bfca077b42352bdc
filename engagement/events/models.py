"""Engagement events, their outcomes and community contacts recorded in the street."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.members import demographics as demo_choices
from accounts.models import CommunityGroup
from areas.models import BNG, Area

from ..survey_facts import priority_names


class EngagementEvent(models.Model):
    """An engagement event an officer books: what, where (a point in a ward), when, who."""

    class Kind(models.TextChoices):
        STREET_SURGERY = "street_surgery", _("Street surgery / beat surgery")
        COMMUNITY_MEETING = "community_meeting", _("Community meeting")
        SCHOOL = "school", _("School or youth visit")
        FAITH = "faith", _("Faith or community centre visit")
        CRIME_PREVENTION = "crime_prevention", _("Crime prevention stall")
        WALKABOUT = "walkabout", _("Walkabout")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=150)
    place_name = models.CharField(max_length=150, blank=True)
    point = models.PointField(srid=BNG)
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="engagement_events")
    starts_at = models.DateTimeField(db_index=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="engagement_events", blank=True
    )
    communities = models.ManyToManyField(
        CommunityGroup, related_name="engagement_events", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagement_events_booked"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["ward", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def has_outcome(self) -> bool:
        return hasattr(self, "outcome")


class EventOutcome(models.Model):
    """What happened at an event: one per event, recorded afterwards."""

    event = models.OneToOneField(EngagementEvent, on_delete=models.CASCADE, related_name="outcome")
    attendance = models.PositiveIntegerField()
    officers_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="engagement_events_attended", blank=True
    )
    # Survey priority slugs (engagement keeps priorities as slugs: see survey_facts).
    issues = ArrayField(models.SlugField(max_length=40), default=list, blank=True)
    issues_text = models.TextField(blank=True)
    quality = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    intelligence_submissions = models.PositiveIntegerField(default=0)
    suitable_for_publishing = models.BooleanField(default=False)
    # "You said, we did": free text or a link until the items exist in this app.
    you_said_we_did = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_outcomes_recorded"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quality__gte=1, quality__lte=5), name="eventoutcome_quality_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"Outcome of {self.event_id}"

    @property
    def issue_names(self) -> list[str]:
        return priority_names(self.issues)


class CommunityContact(models.Model):
    """A contact with someone in the street: issues raised, sign-up offered, and (only
    with the person's consent) their answers to the diversity questions.

    No name or address is kept: a contact is a record of engagement, not of a person.
    """

    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="community_contacts")
    point = models.PointField(srid=BNG, null=True, blank=True)
    place_name = models.CharField(max_length=150, blank=True)
    met_at = models.DateTimeField(default=timezone.now, db_index=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="community_contacts"
    )
    issues = ArrayField(models.SlugField(max_length=40), default=list, blank=True)
    issues_text = models.TextField(blank=True)
    diversity_consent = models.BooleanField(default=False)
    age_band = models.CharField(max_length=20, blank=True, choices=demo_choices.AgeBand.choices)
    sex = models.CharField(max_length=20, blank=True, choices=demo_choices.Sex.choices)
    ethnic_group = models.CharField(
        max_length=30, blank=True, choices=demo_choices.EthnicGroup.choices
    )
    signup_offered = models.BooleanField(default=False)
    signup_taken = models.BooleanField(default=False)

    DIVERSITY_FIELDS = ("age_band", "sex", "ethnic_group")

    class Meta:
        ordering = ["-met_at", "pk"]
        constraints = [
            # Diversity answers are held only with the person's consent.
            models.CheckConstraint(
                condition=Q(diversity_consent=True) | Q(age_band="", sex="", ethnic_group=""),
                name="contact_diversity_only_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(signup_taken=False) | Q(signup_offered=True),
                name="contact_signup_taken_only_if_offered",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.pk} in {self.ward_id}"
