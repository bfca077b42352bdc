"""The one setting of the insight pages that admins edit (imported by targeting.models)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .stats import DEFAULT_TARGET


class InsightSettings(models.Model):
    """One row: the representativeness target, as a share of the proportionate share."""

    representation_target = models.FloatField(
        default=DEFAULT_TARGET,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=(
            "A group is under-represented when its share of members (or respondents) is "
            "below this fraction of its share of the population: 0.7 is 70%."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "targeting"
        verbose_name_plural = "insight settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="insight_settings_single")]

    def __str__(self) -> str:
        return "Insight settings"

    @classmethod
    def load(cls) -> InsightSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
