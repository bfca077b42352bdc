"""Targeting: crime and deprivation data in, street and ward scores out.

police.uk publishes each crime at an anonymised map point shared by many crimes. A
:class:`MapPoint` is kept once, with its ward (point in polygon) and street (nearest
street within a set distance); crimes link to it, so the spatial work is done per point.

Scores are stored per street (and per ward) and period, component by component, so a
score always explains itself and its history can be shown.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q

from areas.models import BNG, Area, Lsoa, Street
from core.lifecycle import Lifecycle


class CrimeCategory(models.Model):
    """A police.uk crime type with its harm weight (reference data, editable by admins).

    ``priority`` is the slug of the survey priority residents would name for it, so
    what residents worry about can be compared with what happens on a street.
    """

    name = models.CharField(max_length=60, unique=True, help_text="As police.uk spells it.")
    slug = models.SlugField(max_length=60, unique=True)
    harm_weight = models.FloatField(
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text="Relative harm of one crime of this type (anti-social behaviour = 1).",
    )
    priority = models.SlugField(max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "crime categories"

    def __str__(self) -> str:
        return self.name

    @property
    def is_asb(self) -> bool:
        return self.slug == ASB_SLUG


ASB_SLUG = "anti-social-behaviour"


class ScoringSettings(models.Model):
    """The weights of the score's components and the rules' thresholds (one row)."""

    weight_harm = models.FloatField(default=0.35, validators=[MinValueValidator(0)])
    weight_trend = models.FloatField(default=0.15, validators=[MinValueValidator(0)])
    weight_concern = models.FloatField(default=0.15, validators=[MinValueValidator(0)])
    weight_confidence = models.FloatField(default=0.10, validators=[MinValueValidator(0)])
    weight_vulnerability = models.FloatField(default=0.15, validators=[MinValueValidator(0)])
    weight_engagement = models.FloatField(default=0.10, validators=[MinValueValidator(0)])
    harm_months = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Harm is the monthly average over this many months, ending with the period.",
    )
    baseline_months = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="A street's usual level: the months before the period, up to this many.",
    )
    trend_alpha = models.FloatField(
        default=0.01,
        validators=[MinValueValidator(0.0001), MaxValueValidator(0.2)],
        help_text="A rise counts only when a one-sided exact test gives a p-value below this.",
    )
    engagement_target = models.FloatField(
        default=10,
        validators=[MinValueValidator(0.1), MaxValueValidator(100)],
        help_text="Target members per 100 households.",
    )
    survey_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="Survey responses from this many months count towards concern and confidence.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "scoring settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="scoring_settings_single")]

    def __str__(self) -> str:
        return "Scoring settings"

    @classmethod
    def load(cls) -> ScoringSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    def component_weights(self) -> dict[str, float]:
        return {
            "harm": self.weight_harm,
            "trend": self.weight_trend,
            "concern": self.weight_concern,
            "confidence": self.weight_confidence,
            "vulnerability": self.weight_vulnerability,
            "engagement": self.weight_engagement,
        }


class MapPoint(models.Model):
    """A police.uk map point ("On or near ..."), kept once however many crimes use it."""

    longitude = models.FloatField()
    latitude = models.FloatField()
    location = models.CharField(max_length=200, help_text='As published: "On or near ...".')
    name = models.CharField(max_length=200, help_text='Without "On or near".')
    point = models.PointField(srid=BNG)
    # Null when the point lies outside every ward of the force: kept and flagged.
    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="map_points"
    )
    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.SET_NULL, related_name="map_points"
    )
    street_distance_m = models.FloatField(null=True, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["longitude", "latitude", "location"], name="map_point_unique"
            )
        ]

    def __str__(self) -> str:
        return self.location

    @property
    def outside_force(self) -> bool:
        return self.ward_id is None


class CrimeImport(models.Model):
    """One force's month from one file: the import history (kept when a month is replaced)."""

    reported_by = models.CharField(max_length=100)
    month = models.DateField()
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Of the file imported.")
    rows = models.PositiveIntegerField()
    asb_rows = models.PositiveIntegerField(default=0)
    outside_rows = models.PositiveIntegerField(default=0)
    without_location = models.PositiveIntegerField(default=0)
    replaced_rows = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="crime_imports"
    )

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_by} {self.month:%Y-%m} ({self.rows} rows)"


class Crime(models.Model):
    """One row of a police.uk street-level file. Every row is a record: none is merged.

    ``crime_id`` is empty on anti-social behaviour rows and is not unique.

    Crimes are written only by the importer, in bulk, and it proves every reference in
    the statement that writes them (categories looked up by name, map points and
    batches joined from what it has just written): the database does not check them a
    second time, a million rows at a time. The ORM still protects categories and map
    points from deletion and deletes a batch's crimes with it.

    Each index costs seconds on a million-row import, so there are only the two that
    pages and scores read by: a month's crimes by category (which also finds the rows a
    month imported again replaces), and a map point's crimes by month. Deleting a batch
    or a category (an admin's rare act) scans the table instead.
    """

    month = models.DateField()
    reported_by = models.CharField(max_length=100)
    falls_within = models.CharField(max_length=100)
    crime_id = models.CharField(max_length=100, blank=True)
    category = models.ForeignKey(
        CrimeCategory,
        on_delete=models.PROTECT,
        related_name="crimes",
        db_constraint=False,
        db_index=False,
    )
    # Null for rows police.uk publishes with "No location".
    location = models.ForeignKey(
        MapPoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crimes",
        db_constraint=False,
        db_index=False,
    )
    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=150, blank=True)
    context = models.TextField(blank=True)
    batch = models.ForeignKey(
        CrimeImport,
        on_delete=models.CASCADE,
        related_name="crimes",
        db_constraint=False,
        db_index=False,
    )
    source_line = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["month", "category"]),
            models.Index(fields=["location", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category}"


class LsoaDeprivation(models.Model):
    """English Indices of Deprivation 2019 for a 2021 LSOA (mapped from 2011 LSOAs).

    Ranks are out of 32,844 English LSOAs, 1 the most deprived. Where several 2011
    LSOAs merged, ranks are their mean; a 2021 LSOA split off without a best-fit row
    takes its nearest neighbour's values in the same MSOA (``method``).
    """

    class Method(models.TextChoices):
        SAME = "same", "Same LSOA in 2011"
        BEST_FIT = "best_fit", "Best-fit 2011 LSOA"
        MERGED = "merged", "Mean of merged 2011 LSOAs"
        NEIGHBOUR = "neighbour", "Nearest LSOA in the same MSOA"

    lsoa = models.OneToOneField(Lsoa, on_delete=models.CASCADE, related_name="deprivation")
    imd_rank = models.FloatField()
    imd_decile = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    income_rank = models.FloatField(null=True, blank=True)
    employment_rank = models.FloatField(null=True, blank=True)
    education_rank = models.FloatField(null=True, blank=True)
    health_rank = models.FloatField(null=True, blank=True)
    crime_rank = models.FloatField(null=True, blank=True)
    housing_rank = models.FloatField(null=True, blank=True)
    environment_rank = models.FloatField(null=True, blank=True)
    lsoa11_codes = models.CharField(max_length=100)
    method = models.CharField(max_length=10, choices=Method.choices)
    edition = models.CharField(max_length=20, default="IoD2019")

    class Meta:
        ordering = ["lsoa__code"]

    def __str__(self) -> str:
        return f"{self.lsoa.code}: IMD decile {self.imd_decile}"


class ScoreBase(models.Model):
    """What street and ward scores share: each component, its inputs, the score and rank.

    Components are 0..1 (1 = most in need); a component without data is null and
    leaves the score, whose weights are then shared among the others.

    Scores are written only by scoring, a period at a time, from statements that join
    the streets, wards and categories they refer to: as with crimes, the database does
    not check those references a second time at each commit (a few thousand deferred
    checks a period), and the only indexes are the ones pages read by (a unit's period,
    a ward's ranking). The ORM still deletes a street's or ward's scores with it and
    clears a deleted category.
    """

    period = models.DateField(help_text="The month scored (its first day).")
    # Harm: category-weighted crimes a month over the harm window.
    crimes = models.PositiveIntegerField(default=0, help_text="Crimes in the harm window.")
    window_months = models.PositiveSmallIntegerField(default=1)
    harm_weighted = models.FloatField(default=0)
    harm = models.FloatField(default=0)
    top_category = models.ForeignKey(
        CrimeCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # Trend: this month against the months before (exact conditional binomial test).
    crimes_month = models.PositiveIntegerField(default=0)
    baseline_crimes = models.PositiveIntegerField(default=0)
    baseline_months = models.PositiveSmallIntegerField(default=0)
    trend_ratio = models.FloatField(null=True, blank=True)
    trend_p = models.FloatField(null=True, blank=True)
    trend = models.FloatField(null=True, blank=True)
    asb_month = models.PositiveIntegerField(default=0)
    asb_baseline = models.PositiveIntegerField(default=0)
    asb_ratio = models.FloatField(null=True, blank=True)
    asb_p = models.FloatField(null=True, blank=True)
    # Public concern and confidence (surveys).
    respondents = models.PositiveIntegerField(default=0)
    survey_level = models.CharField(max_length=10, blank=True)  # "street" or "ward"
    concern = models.FloatField(null=True, blank=True)
    top_priority = models.SlugField(max_length=40, blank=True, db_index=False)
    top_priority_share = models.FloatField(null=True, blank=True)
    confidence_mean = models.FloatField(null=True, blank=True)
    confidence_force_mean = models.FloatField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    # Vulnerability: deprivation of the output areas.
    imd_decile = models.FloatField(null=True, blank=True)
    vulnerability = models.FloatField(null=True, blank=True)
    # Engagement: members per 100 households against the ward and the target.
    members = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(null=True, blank=True)
    members_per_100 = models.FloatField(null=True, blank=True)
    # The ward's rate for a street; the force's for a ward.
    reference_members_per_100 = models.FloatField(null=True, blank=True)
    engagement_target = models.FloatField(null=True, blank=True)
    engagement = models.FloatField(null=True, blank=True)
    score = models.FloatField(default=0)
    weights = models.JSONField(default=dict, blank=True, help_text="The weights used.")
    rank_in_force = models.PositiveIntegerField(default=0)
    count_in_force = models.PositiveIntegerField(default=0)
    actions = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    COMPONENTS = ("harm", "trend", "concern", "confidence", "vulnerability", "engagement")


class StreetScore(ScoreBase):
    # Found by (street, period) and (ward, period, rank) below.
    street = models.ForeignKey(
        Street, on_delete=models.CASCADE, related_name="scores", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    ward = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="street_scores", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    rank_in_ward = models.PositiveIntegerField(default=0)
    count_in_ward = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["period", "rank_in_ward"]
        constraints = [
            models.UniqueConstraint(fields=["street", "period"], name="street_score_unique")
        ]
        indexes = [models.Index(fields=["ward", "period", "rank_in_ward"])]

    def __str__(self) -> str:
        return f"{self.street_id} {self.period:%Y-%m}: {self.score:.0f}"


class WardScore(ScoreBase):
    # Found by (ward, period) below.
    ward = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="ward_scores", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    residents = models.PositiveIntegerField(null=True, blank=True)
    rank_in_district = models.PositiveIntegerField(default=0)
    count_in_district = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["period", "rank_in_force"]
        constraints = [models.UniqueConstraint(fields=["ward", "period"], name="ward_score_unique")]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.period:%Y-%m}: {self.score:.0f}"


class ImportJob(Lifecycle, models.Model):
    """An import of one kind of data (``targeting.importers.kinds``) started from its
    upload page and run by a worker; or, with ``check_only``, a check of the files that
    runs the same import and rolls it back, to show what it would change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    # The lifecycle (core.lifecycle): which status may follow which.
    TRANSITIONS = {
        Status.DRAFT: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.SUCCEEDED, Status.FAILED},
        Status.SUCCEEDED: set(),
        Status.FAILED: set(),
    }
    FINAL = {Status.SUCCEEDED, Status.FAILED}

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # A name of ``targeting.importers.kinds.KINDS`` (not choices: the registry is code).
    kind = models.CharField(max_length=30, default="crimes", db_index=True)
    check_only = models.BooleanField(
        default=False, help_text="Checked and rolled back: nothing was changed."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    stage = models.CharField(max_length=100, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.is_final


class ImportJobFile(models.Model):
    """An uploaded file, kept in the database so any worker can read it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    # Which of the kind's files this is (``FileSlot.name``: "files", "lookup", ...).
    slot = models.CharField(max_length=30, default="files")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ScoringRun(Lifecycle, models.Model):
    """One scoring run, recorded so that a run asked for twice is made once.

    A scheduled run carries the slot it is for (``latest:2026-12-01`` for the nightly
    run of that day) in ``key``, which is unique: a second beat process, or the same
    task sent again by hand, finds the slot taken and does nothing. A failed run gives
    its slot back (failed -> running), so a retry does run. Runs asked for by an import
    or new weights have no key: each is wanted, and the scoring lock makes them run one
    after the other, never at once.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    TRANSITIONS = {
        Status.RUNNING: {Status.SUCCEEDED, Status.FAILED},
        Status.FAILED: {Status.RUNNING},
        Status.SUCCEEDED: set(),
    }
    FINAL = {Status.SUCCEEDED}

    key = models.CharField(max_length=60, null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    periods = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    message = models.TextField(blank=True)
    # What asked for the run ("crime import", "new weights", "nightly"), for the data
    # status page.
    trigger = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Scoring run {self.key or self.pk} ({self.get_status_display()})"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None


# The insight pages' setting (targeting/insight/); set-ups and door-knock visits
# (targeting/setups/).
from .insight.models import InsightSettings  # noqa: E402, F401
from .setups.models import SetUp, SetUpComment, SetUpStreet, Visit  # noqa: E402, F401
