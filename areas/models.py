"""Geography: the area tree, postcodes, output areas, LSOAs and streets.

Geometry is stored in EPSG:27700 (British National Grid, metres) so distances and
areas are in metres; maps get a simplified WGS84 copy.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .location_names import proper_case

BNG = 27700
WGS84 = 4326


class AreaQuerySet(models.QuerySet):
    """Walks of the force > district > ward tree: the one place they are written.

    The tree has three levels, so "under" is at most two steps of ``parent``; these
    filters stay single queries (no recursive CTE) and compose with any other filter.
    """

    def at_or_below(self, areas) -> AreaQuerySet:
        """The given areas (ids, areas or a queryset) and every area under them."""
        return self.filter(Q(pk__in=areas) | Q(parent__in=areas) | Q(parent__parent__in=areas))

    def wards(self) -> AreaQuerySet:
        return self.filter(level=Area.Level.WARD)

    def wards_under(self, area: Area) -> AreaQuerySet:
        """The wards of ``area``: itself if it is a ward, else the wards below it."""
        return self.wards().at_or_below([area.pk])


class Area(models.Model):
    """A node of the force > district > ward tree, keyed by its ONS code."""

    class Level(models.TextChoices):
        FORCE = "force", "Force"
        DISTRICT = "district", "District"
        WARD = "ward", "Ward"

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=150)
    level = models.CharField(max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    boundary = models.MultiPolygonField(srid=BNG, null=True, blank=True)
    # Simplified (about 10 m) and in WGS84: what the maps draw.
    boundary_simple = models.MultiPolygonField(
        srid=WGS84, null=True, blank=True, spatial_index=False
    )
    source = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="force", parent__isnull=True) | ~Q(level="force"),
                name="area_force_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ward(self) -> bool:
        return self.level == self.Level.WARD


class Msoa(models.Model):
    """A Middle Layer Super Output Area (2021 codes): where Census ethnic group is known.

    Census 2021 publishes ethnic group (TS021) per MSOA, about 7,800 residents, not per
    output area. Its LSOAs are those whose name is the MSOA's and one letter ("Kingston
    upon Hull 025A" is in "Kingston upon Hull 025"), the ONS naming convention.
    """

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    # TS021: all usual residents, and residents per category key (areas.census), the
    # five high-level groups and the 19 detailed ones.
    usual_residents = models.PositiveIntegerField(null=True, blank=True)
    ethnic_groups = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "MSOA"

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def share_of(self, key: str) -> float | None:
        """The share of its residents in the ethnic group ``key``."""
        if not self.usual_residents:
            return None
        return self.ethnic_groups.get(key, 0) / self.usual_residents


class Lsoa(models.Model):
    """A Lower Layer Super Output Area (2021 codes): the unit of deprivation statistics."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100, blank=True)
    district = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="lsoas"
    )
    boundary = models.MultiPolygonField(srid=BNG, null=True, blank=True)
    msoa = models.ForeignKey(
        Msoa, null=True, blank=True, on_delete=models.SET_NULL, related_name="lsoas"
    )
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class GeodemographicClass(models.Model):
    """One class of a geodemographic scheme (ONS area classification, or Acorn)."""

    class Scheme(models.TextChoices):
        OAC = "oac", "ONS Output Area Classification 2021"
        ACORN = "acorn", "CACI Acorn"

    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    # OAC: supergroup / group / subgroup. Acorn: category / group / type.
    level = models.CharField(max_length=20)
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=150)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="geodemographic_code_unique")
        ]
        verbose_name_plural = "geodemographic classes"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OutputArea(models.Model):
    """A Census 2021 output area with its population and geodemographic class."""

    code = models.CharField(max_length=9, unique=True)
    lsoa = models.ForeignKey(
        Lsoa, null=True, blank=True, on_delete=models.SET_NULL, related_name="output_areas"
    )
    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="output_areas"
    )
    # 2011 boundaries are the only open ones; 2021 codes without one have no boundary.
    boundary = models.MultiPolygonField(srid=BNG, null=True, blank=True)
    usual_residents = models.PositiveIntegerField(null=True, blank=True)
    households = models.PositiveIntegerField(null=True, blank=True)
    classification = models.ForeignKey(
        GeodemographicClass,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="output_areas",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Postcode(models.Model):
    """A unit postcode (OS Code-Point Open) and the ward it lies in."""

    code = models.CharField(max_length=8, unique=True)  # normalised: "HU1 1AA"
    outward = models.CharField(max_length=4, db_index=True)  # "HU1"
    point = models.PointField(srid=BNG)
    positional_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    district_code = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    # Null when the postcode lies outside the force area.
    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcodes"
    )
    # Acorn, where a force has it, is assigned by postcode.
    classification = models.ForeignKey(
        GeodemographicClass,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postcodes",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class StreetQuerySet(models.QuerySet):
    """Streets people live on, and the places police.uk also names (``location_names``)."""

    def streets(self) -> StreetQuerySet:
        """Real streets only: what is door-knocked, registered on, counted in households."""
        return self.filter(kind=Street.Kind.STREET)

    def places(self) -> StreetQuerySet:
        """Places only (a car park, a supermarket, a hospital): crimes and a score, no homes."""
        return self.filter(kind=Street.Kind.PLACE)


class Street(models.Model):
    """A named street in a ward, or a place police.uk names as it names streets.

    From line data (OpenStreetMap, OS Open Roads) a street is the named line assigned
    to the ward holding most of its length. Where no line data exists it is the set of
    police.uk map points sharing a name in a ward, so ``geometry`` is a line or points.
    Some police.uk names are places, not streets ("Parking Area", "Supermarket"): they
    are kept, with ``kind`` saying so (``areas.location_names`` decides). Anything about
    homes or residents reads ``Street.objects.streets()``.
    """

    class Source(models.TextChoices):
        LINES = "lines", "Road lines"
        POLICE_UK = "police_uk", "police.uk map points"

    class Kind(models.TextChoices):
        STREET = "street", "Street"
        PLACE = "place", "Place"

    name = models.CharField(max_length=200)
    ward = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="streets")
    geometry = models.GeometryField(srid=BNG)
    source = models.CharField(max_length=12, choices=Source.choices)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.STREET)
    # A place's nearest real street in its ward (the nearest anywhere if the ward has
    # none), set by the importer: a place is shown as "Parking Area near Hutt Street".
    near = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="places_near"
    )
    length_m = models.FloatField(null=True, blank=True)

    objects = StreetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="street_unique_name_in_ward")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_place(self) -> bool:
        return self.kind == self.Kind.PLACE

    @property
    def label(self) -> str:
        """How pages name it: a street by its name, a place with its nearest street."""
        near = self.near.name if self.is_place and self.near_id is not None else None
        return street_label(self.name, near=near)


def street_label(name: str, *, near: str | None = None) -> str:
    """ "Prince's Road"; a place with its nearest street: "Parking Area near Hutt Street"."""
    if near:
        return _("%(place)s near %(street)s") % {
            "place": proper_case(name),
            "street": proper_case(near),
        }
    return proper_case(name)
