"""Forms for planning set-ups and recording visits (HTTP only)."""

from __future__ import annotations

import json
import uuid

from django import forms
from django.contrib.gis.geos import MultiPolygon

from accounts.models import User
from accounts.permissions import wards_for
from alerts.audiences import SHAPE, SHAPE_TYPES, Audience
from areas.census import HIGH_LEVEL, details_of
from areas.models import Area, GeodemographicClass, Street
from areas.selectors import ACORN_PREFIX, class_value

from . import selectors
from .models import SetUp, Visit

MAX_SHAPE_CHARS = 200_000


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


def community_choices() -> list:
    """The Census ethnic groups, an <optgroup> per high-level group (itself first)."""
    return [("", "---------")] + [
        (
            high.label,
            [(high.key, f"All: {high.label}")] + [(c.key, c.name) for c in details_of(high.key)],
        )
        for high in HIGH_LEVEL
    ]


class ClassChoiceField(forms.ModelChoiceField):
    """A geodemographic class of either scheme, by :func:`class_value`."""

    def prepare_value(self, value):
        if isinstance(value, GeodemographicClass):
            return class_value(value)
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        scheme, code = GeodemographicClass.Scheme.OAC, text
        if text.startswith(ACORN_PREFIX):
            scheme, code = GeodemographicClass.Scheme.ACORN, text[len(ACORN_PREFIX) :]
        found = self.queryset.filter(scheme=scheme, code=code).first()
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return found


class SetUpForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150)
    purpose = forms.CharField(
        label="Purpose", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    area_kind = forms.ChoiceField(
        label="Area", choices=SetUp.AreaKind.choices, widget=forms.RadioSelect,
        initial=SetUp.AreaKind.WARDS,
    )  # fmt: skip
    wards = forms.ModelMultipleChoiceField(
        label="Wards", queryset=Area.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    streets = forms.ModelMultipleChoiceField(
        label="Streets", queryset=Street.objects.none(), required=False,
        help_text="Hold Ctrl (or Cmd) to choose several.",
    )  # fmt: skip
    # Filled by the map's draw control (static/js/setup_map.js).
    shape = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_SHAPE_CHARS)
    target = forms.ChoiceField(
        label="Who to reach", choices=SetUp.Target.choices, widget=forms.RadioSelect,
        initial=SetUp.Target.ALL,
        help_text="Low membership: fewer members per 100 households than the target and "
        "the ward's own rate. Low confidence: respondents' confidence below the force's. "
        "Streets without the data are left out of those two.",
    )  # fmt: skip
    group = ClassChoiceField(
        label="Group (for output areas of a group)", required=False,
        queryset=GeodemographicClass.objects.none(),
        help_text="A group of the ONS area classification, or of Acorn where the force has "
        "loaded it (the output areas where most postcodes are in it): the insight pages "
        "show which are under-represented among members.",
    )  # fmt: skip
    community = forms.ChoiceField(
        label="Community (for output areas where a community named in the Census lives)",
        required=False, choices=community_choices,
        help_text="A Census 2021 ethnic group. It is known per MSOA (about 7,800 residents): "
        "the streets knocked cross the output areas of the MSOAs where the group's share of "
        "residents is highest, until they hold half of its residents in the wards chosen.",
    )  # fmt: skip
    revisit_members = forms.BooleanField(
        label="Visit homes already registered again", required=False
    )
    starts_on = forms.DateField(
        label="Starts on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label="Ends on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    officers = OfficerChoiceField(
        label="Officers assigned", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        wards = wards_for(user).order_by("name")
        self.fields["wards"].queryset = wards
        self.fields["streets"].queryset = (
            Street.objects.streets().filter(ward__in=wards).select_related("ward")
            .order_by("ward__name", "name")
        )  # fmt: skip
        self.fields["streets"].label_from_instance = lambda s: f"{s.name} ({s.ward.name})"
        self.fields["officers"].queryset = selectors.assignable_officers(user)
        self.fields["group"].queryset = GeodemographicClass.objects.exclude(
            scheme=GeodemographicClass.Scheme.ACORN, level="type"
        ).order_by("scheme", "code")
        self.fields["group"].label_from_instance = lambda c: (
            f"{'Acorn ' if c.scheme == GeodemographicClass.Scheme.ACORN else ''}{c.code} {c.name}"
        )

    def clean_shape(self) -> MultiPolygon | None:
        text = self.cleaned_data.get("shape") or ""
        if not text:
            return None
        try:
            geometry = json.loads(text)
        except ValueError:
            raise forms.ValidationError("The shape could not be read; draw it again.") from None
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in SHAPE_TYPES:
            raise forms.ValidationError("Draw a polygon or a rectangle.")
        polygon = Audience(kind=SHAPE, shape=geometry).polygon()
        if polygon is None:
            raise forms.ValidationError("The shape could not be read; draw it again.")
        return polygon

    def clean(self):
        data = super().clean()
        kind = data.get("area_kind")
        if kind == SetUp.AreaKind.WARDS and not data.get("wards"):
            self.add_error("wards", "Choose at least one ward.")
        if kind == SetUp.AreaKind.STREETS and not data.get("streets"):
            self.add_error("streets", "Choose at least one street.")
        if kind == SetUp.AreaKind.SHAPE and not data.get("shape") and "shape" not in self.errors:
            self.add_error(None, "Draw the area on the map.")
        if data.get("target") == SetUp.Target.GROUP_AREAS and not data.get("group"):
            self.add_error("group", "Choose the group whose output areas are to be knocked.")
        if data.get("target") == SetUp.Target.COMMUNITY and not data.get("community"):
            self.add_error(
                "community", "Choose the community whose output areas are to be knocked."
            )
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date is before the start date.")
        return data


class OfficersForm(forms.Form):
    officers = OfficerChoiceField(
        label="Officers assigned", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = selectors.assignable_officers(user)


class VisitForm(forms.Form):
    """One knock. Works as a plain POST; the page's script sends the same fields, queued
    while offline, with the key it made for the visit and the time of the knock."""

    house = forms.CharField(label="House number or name", max_length=100)
    outcome = forms.ChoiceField(
        label="Outcome", choices=Visit.Outcome.choices, widget=forms.RadioSelect
    )
    key = forms.UUIDField(widget=forms.HiddenInput)
    visited_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    sent_later = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
