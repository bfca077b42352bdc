"""Who a message goes to: an audience kept as data and resolved when it is used.

An :class:`Audience` is one place (a force, district or ward by ONS code; a street; a
circle around a point; a shape drawn on the map) or a source a higher app registers
(targeting's set-ups), narrowed by community groups (members of any of ``include``,
and none of ``exclude``). It is stored as JSON on the message and on a saved audience
and resolved into members only when asked, so a saved audience stays current as people
join, move and leave.

Every resolution goes through ``alerts.selectors.members_receiving``: only confirmed
members (``Member.objects.confirmed()``) who have not stopped messages are ever in an
audience or a count. Scope is checked by :func:`audience_check`: a member of staff may
only send to places in their scope, and force- or district-wide only as a supervisor;
circles and shapes reach only the members in the sender's wards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Member, User
from accounts.permissions import Role, areas_for, staff_profile, wards_for
from areas.models import BNG, WGS84, Area, Street

from .selectors import members_receiving

AREA = "area"
STREET = "street"
CIRCLE = "circle"
SHAPE = "shape"
SOURCE = "source"
KINDS = (AREA, STREET, CIRCLE, SHAPE, SOURCE)
# GeoJSON geometry types a drawn shape may be.
SHAPE_TYPES = ("Polygon", "MultiPolygon")
MAX_RADIUS_M = 5000
# Roles that may send messages at all (those who work the area); and the wider ones.
SENDER_ROLES = (Role.OFFICER, Role.SUPERVISOR)
WIDE_ROLES = (Role.SUPERVISOR,)


class AudienceNotAllowed(Exception):
    """The sender may not send to this audience (outside their scope, or too wide)."""


@dataclass(frozen=True)
class Audience:
    kind: str
    area: str = ""  # AREA: the ONS code
    street: int | None = None  # STREET: the street's id
    # CIRCLE: the centre in British National Grid metres, and the radius.
    x: float | None = None
    y: float | None = None
    radius_m: int | None = None
    # SHAPE: a polygon as GeoJSON geometry in WGS84 (what the map's draw control gives).
    shape: dict | None = None
    # SOURCE: a registered audience source's key and the id of its object.
    source: str = ""
    source_id: int | None = None
    include: tuple[str, ...] = field(default_factory=tuple)  # community group slugs
    exclude: tuple[str, ...] = field(default_factory=tuple)

    # --- Building ------------------------------------------------------------------------

    @classmethod
    def for_area(cls, area: Area, **groups) -> Audience:
        return cls(kind=AREA, area=area.code, **groups)

    @classmethod
    def for_street(cls, street: Street, **groups) -> Audience:
        return cls(kind=STREET, street=street.pk, **groups)

    @classmethod
    def circle(cls, point: Point, radius_m: int, **groups) -> Audience:
        point = point.transform(BNG, clone=True)
        return cls(kind=CIRCLE, x=round(point.x, 1), y=round(point.y, 1), radius_m=radius_m,
                   **groups)  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        data = dict(data)
        for key in ("include", "exclude"):
            data[key] = tuple(data.get(key) or ())
        known = set(cls.__dataclass_fields__)
        audience = cls(**{k: v for k, v in data.items() if k in known})
        if audience.kind not in KINDS:
            raise ValueError(f"unknown audience kind {audience.kind!r}")
        return audience

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["include"] = list(self.include)
        data["exclude"] = list(self.exclude)
        return {k: v for k, v in data.items() if v not in (None, "", [])}

    # --- Geometry ------------------------------------------------------------------------

    def polygon(self) -> MultiPolygon | None:
        """The drawn shape in British National Grid, or None if it is not a valid polygon."""
        if self.shape is None:
            return None
        try:
            geometry = GEOSGeometry(json.dumps(self.shape), srid=WGS84)
        except (GEOSException, ValueError, TypeError):
            return None
        if isinstance(geometry, Polygon):
            geometry = MultiPolygon(geometry, srid=WGS84)
        if not isinstance(geometry, MultiPolygon) or not geometry.valid:
            return None
        return geometry.transform(BNG, clone=True)

    def centre(self) -> Point | None:
        if self.kind == CIRCLE and self.x is not None and self.y is not None:
            return Point(self.x, self.y, srid=BNG)
        polygon = self.polygon() if self.kind == SHAPE else None
        return polygon.centroid if polygon is not None else None


# --- Sources higher apps register -----------------------------------------------------------


@dataclass(frozen=True)
class AudienceSource:
    """Members from an object of a higher app (targeting registers its set-ups).

    ``members(user, object_id)`` gives the members (None if the object is not the user's
    to use: the same answer as for one that does not exist); ``choices(user)`` the
    (id, label) pairs the compose page offers; ``area(object_id)`` the area staff scope
    of the message is decided by.
    """

    key: str
    label: str
    members: Callable[[User | None, int], QuerySet[Member] | None]
    choices: Callable[[User], list[tuple[int, str]]]
    area: Callable[[int], Area | None]


_SOURCES: dict[str, AudienceSource] = {}


def register_audience_source(source: AudienceSource) -> None:
    """Called from a higher app's ``AppConfig.ready()``."""
    _SOURCES[source.key] = source


def audience_sources() -> dict[str, AudienceSource]:
    return dict(_SOURCES)


# --- Resolving -----------------------------------------------------------------------------


def _place_members(audience: Audience, *, user: User | None) -> QuerySet[Member]:
    members = Member.objects.all()
    if audience.kind == AREA:
        area = Area.objects.filter(code=audience.area).first()
        return members.filter(ward__in=Area.objects.wards_under(area)) if area else members.none()
    if audience.kind == STREET:
        return members.filter(street_id=audience.street)
    if audience.kind == CIRCLE:
        centre = audience.centre()
        if centre is None or not audience.radius_m:
            return members.none()
        radius = min(int(audience.radius_m), MAX_RADIUS_M)
        return members.filter(postcode__point__dwithin=(centre, D(m=radius)))
    if audience.kind == SHAPE:
        polygon = audience.polygon()
        return members.filter(postcode__point__within=polygon) if polygon else members.none()
    source = _SOURCES.get(audience.source)
    found = source.members(user, audience.source_id) if source and audience.source_id else None
    return found if found is not None else members.none()


def audience_members(audience: Audience, *, user: User | None = None) -> QuerySet[Member]:
    """The confirmed members ``audience`` reaches now (before any frequency cap).

    With ``user``, circles and shapes reach only the members in the user's wards.
    """
    members = _place_members(audience, user=user)
    if user is not None and audience.kind in (CIRCLE, SHAPE):
        members = members.filter(ward__in=wards_for(user))
    if audience.include:
        members = members.filter(groups__slug__in=audience.include)
    if audience.exclude:
        members = members.exclude(groups__slug__in=audience.exclude)
    # The group join can list a member once per group: the ids, once each.
    return members_receiving(Member.objects.filter(pk__in=members.values("pk")))


def audience_area(audience: Audience, *, user: User) -> Area | None:
    """The area that decides who among staff sees a message to ``audience``."""
    if audience.kind == AREA:
        return Area.objects.filter(code=audience.area).first()
    if audience.kind == STREET:
        street = Street.objects.select_related("ward").filter(pk=audience.street).first()
        return street.ward if street else None
    if audience.kind == SOURCE:
        source = _SOURCES.get(audience.source)
        return source.area(audience.source_id) if source and audience.source_id else None
    centre = audience.centre()
    wards = wards_for(user)
    if centre is not None:
        ward = wards.filter(boundary__covers=centre).first()
        if ward is not None:
            return ward
    # A circle or shape centred outside the sender's wards: their first scope area.
    profile = staff_profile(user)
    return profile.areas.order_by("level", "name").first() if profile else None


def audience_check(audience: Audience, *, user: User) -> Area:
    """The audience's area if ``user`` may send to it; else AudienceNotAllowed.

    Outside scope and "does not exist" are the same refusal.
    """
    profile = staff_profile(user)
    if profile is None or profile.role not in SENDER_ROLES:
        raise AudienceNotAllowed(_("You cannot send messages."))
    area = audience_area(audience, user=user)
    if area is None or not areas_for(user).filter(pk=area.pk).exists():
        raise AudienceNotAllowed(_("That audience is not in your areas."))
    if audience.kind == AREA and not area.is_ward and profile.role not in WIDE_ROLES:
        raise AudienceNotAllowed(_("Only a supervisor can send to a whole district or force."))
    if audience.kind == SOURCE and _SOURCES.get(audience.source) is None:
        raise AudienceNotAllowed(_("That audience is not in your areas."))
    if audience.kind == SOURCE and (
        _SOURCES[audience.source].members(user, audience.source_id) is None
    ):
        raise AudienceNotAllowed(_("That audience is not in your areas."))
    if audience.kind in (CIRCLE, SHAPE) and audience.centre() is None:
        raise AudienceNotAllowed(_("Draw a shape, or give a postcode and a radius."))
    return area


def describe(audience: Audience) -> str:
    """A short description for staff pages ("Central ward", "500 m around HU1 2PD")."""
    groups = ""
    if audience.include:
        groups += " · " + _("in groups: %(g)s") % {"g": ", ".join(audience.include)}
    if audience.exclude:
        groups += " · " + _("not in groups: %(g)s") % {"g": ", ".join(audience.exclude)}
    if audience.kind == AREA:
        area = Area.objects.filter(code=audience.area).first()
        place = f"{area.name} ({area.get_level_display().lower()})" if area else audience.area
    elif audience.kind == STREET:
        street = Street.objects.filter(pk=audience.street).first()
        place = str(street) if street else _("a street")
    elif audience.kind == CIRCLE:
        place = _("%(r)s m around a point") % {"r": audience.radius_m}
    elif audience.kind == SHAPE:
        place = _("a shape drawn on the map")
    else:
        source = _SOURCES.get(audience.source)
        place = f"{source.label} {audience.source_id}" if source else audience.source
    return place + groups
