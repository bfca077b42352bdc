"""Forms of the senders' pages and of the links in messages."""

from __future__ import annotations

import json

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from accounts.models import CommunityGroup, Member, User
from accounts.permissions import areas_for, user_has_role, wards_for
from areas.models import WGS84, Area, Street
from areas.selectors import normalise_postcode, postcode_lookup

from . import audiences
from .audiences import AREA, CIRCLE, SHAPE, SHAPE_TYPES, SOURCE, STREET, Audience
from .models import MemberPreferences, MessagingSettings, SavedAudience, Version
from .versions import priority_choices

AUDIENCE_KINDS = (
    (AREA, _("An area (ward; district or force for supervisors)")),
    (STREET, _("A street")),
    (CIRCLE, _("A circle: a postcode and a radius")),
    (SHAPE, _("A shape drawn on the map")),
    (SOURCE, _("A targeted set-up")),
    ("saved", _("A saved audience")),
)
MAX_SHAPE_CHARS = 200_000


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("What happened (the message)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Everyone gets this; the versions below are made from it."),
    )
    priorities = forms.MultipleChoiceField(
        label=_("Survey priorities it answers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_('Members who raised one of them get the "You said, we did" version.'),
    )
    body_said = forms.CharField(
        label=_('"You said, we did" version'),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty to have it made from the message."),
    )
    body_invite = forms.CharField(
        label=_("Version for members who have not answered the survey"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty to have it made from the message."),
    )
    kind = forms.ChoiceField(
        label=_("Who it goes to"), choices=AUDIENCE_KINDS, widget=forms.RadioSelect, initial=AREA
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    street = forms.ModelChoiceField(
        label=_("Street"), queryset=Street.objects.none(), required=False
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    radius_m = forms.IntegerField(
        label=_("Radius in metres"),
        min_value=50,
        max_value=audiences.MAX_RADIUS_M,
        required=False,
        initial=500,
    )
    # Filled by the map's draw control (static/js/audience_map.js).
    shape = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_SHAPE_CHARS)
    circle_lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    circle_lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(label=_("Set-up"), required=False)
    saved = forms.ModelChoiceField(
        label=_("Saved audience"), queryset=SavedAudience.objects.none(), required=False
    )
    include = forms.ModelMultipleChoiceField(
        label=_("Only members of these community groups"),
        queryset=CommunityGroup.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exclude = forms.ModelMultipleChoiceField(
        label=_("Leave out members of these community groups"),
        queryset=CommunityGroup.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    save_as = forms.CharField(
        label=_("Save this audience as (optional)"), max_length=100, required=False
    )
    urgent = forms.BooleanField(
        label=_("Urgent (for example a missing person): goes regardless of the weekly limit"),
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        wide = user_has_role(user, audiences.WIDE_ROLES)
        self.fields["area"].queryset = (areas_for(user) if wide else wards_for(user)).order_by(
            "level", "name"
        )
        self.fields["street"].queryset = (
            Street.objects.filter(ward__in=wards_for(user)).select_related("ward").order_by("name")
        )
        self.fields["saved"].queryset = SavedAudience.objects.filter(area__in=areas_for(user))
        self.fields["priorities"].choices = priority_choices()
        sources = [
            (f"{key}:{pk}", f"{source.label}: {label}")
            for key, source in audiences.audience_sources().items()
            for pk, label in source.choices(user)
        ]
        self.fields["source"].choices = [("", "---------"), *sources]
        if not sources:
            self.fields["kind"].choices = [c for c in AUDIENCE_KINDS if c[0] != SOURCE]
        if not wide:
            del self.fields["urgent"]

    def clean_shape(self):
        text = self.cleaned_data.get("shape") or ""
        if not text:
            return None
        try:
            geometry = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("The shape could not be read; draw it again.")) from None
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in SHAPE_TYPES:
            raise forms.ValidationError(_("Draw a polygon or a rectangle."))
        if Audience(kind=SHAPE, shape=geometry).polygon() is None:
            raise forms.ValidationError(_("The shape could not be read; draw it again."))
        return geometry

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["audience"] = self._audience(data)
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data

    def _audience(self, data) -> Audience:
        groups = {
            "include": tuple(g.slug for g in data.get("include") or ()),
            "exclude": tuple(g.slug for g in data.get("exclude") or ()),
        }
        kind = data["kind"]
        if kind == "saved":
            if not data.get("saved"):
                raise forms.ValidationError(_("Choose a saved audience."))
            return Audience.from_json(data["saved"].audience)
        if kind == AREA and data.get("area"):
            return Audience.for_area(data["area"], **groups)
        if kind == STREET and data.get("street"):
            return Audience.for_street(data["street"], **groups)
        if kind == SHAPE and data.get("shape"):
            return Audience(kind=SHAPE, shape=data["shape"], **groups)
        if kind == CIRCLE:
            return self._circle(data, groups)
        if kind == SOURCE and data.get("source"):
            key, _sep, pk = data["source"].rpartition(":")
            return Audience(kind=SOURCE, source=key, source_id=int(pk), **groups)
        raise forms.ValidationError(_("Say who the message goes to."))

    def _circle(self, data, groups) -> Audience:
        radius = data.get("radius_m")
        if not radius:
            raise forms.ValidationError(_("Give a radius in metres."))
        if data.get("circle_lat") is not None and data.get("circle_lng") is not None:
            point = Point(data["circle_lng"], data["circle_lat"], srid=WGS84)
            return Audience.circle(point, radius, **groups)
        if not normalise_postcode(data.get("postcode") or ""):
            raise forms.ValidationError(_("Give a postcode for the centre of the circle."))
        found = postcode_lookup(data["postcode"])
        if not found.ok:
            raise forms.ValidationError(found.message)
        return Audience.circle(found.point, radius, **groups)

    def bodies(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            Version.GENERAL: data["body"],
            Version.SAID: data.get("body_said") or "",
            Version.INVITE: data.get("body_invite") or "",
        }


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


class PreferencesForm(forms.Form):
    types = forms.MultipleChoiceField(
        label=_("Messages I want"),
        choices=MemberPreferences.Type.choices,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text=_("Urgent appeals (for example a missing person) always reach you."),
    )
    by_email = forms.BooleanField(label=_("By email"), required=False)
    by_sms = forms.BooleanField(label=_("By text message"), required=False)
    max_frequency = forms.ChoiceField(label=_("How often"), choices=Member.Frequency.choices)
    quiet_start = forms.TimeField(
        label=_("No text messages from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    quiet_end = forms.TimeField(
        label=_("until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    new_email = forms.EmailField(
        label=_("A new email address"),
        required=False,
        help_text=_(
            "Messages to your address could not be delivered. We will send a link "
            "to the new address to confirm it."
        ),
    )

    def __init__(self, *args, member: Member, suspended: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not member.phone:
            del self.fields["by_sms"]
        if not suspended:
            del self.fields["new_email"]

    def clean(self):
        data = super().clean()
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise forms.ValidationError(_("Give both ends of the quiet hours, or neither."))
        return data


class MessagingSettingsForm(forms.ModelForm):
    class Meta:
        model = MessagingSettings
        fields = ["weekly_cap"]
