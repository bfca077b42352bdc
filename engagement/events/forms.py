"""Forms for booking an event, recording its outcome and recording a street contact.

Each works without JavaScript: the place is a postcode. With JavaScript, a tap on the
map fills ``latitude``/``longitude`` (WGS84), which then win over the postcode.
"""

from __future__ import annotations

from django import forms
from django.contrib.gis.geos import Point
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.members import demographics as demo_choices
from accounts.models import CommunityGroup, User
from areas.models import WGS84
from areas.selectors import postcode_lookup

from ..survey_facts import priority_choices
from .models import EngagementEvent


def priorities() -> list[tuple[str, str]]:
    # The survey's priority list, through engagement.survey_facts (surveys sits beside
    # engagement in the layers: neither imports the other).
    return priority_choices()


class PlaceMixin(forms.Form):
    """A point: from the map (latitude, longitude) or from a postcode."""

    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        help_text=_("Or tap the map to place it."),
    )
    latitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=49.0, max_value=61.0
    )
    longitude = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-9.0, max_value=2.5
    )
    place_name = forms.CharField(label=_("Place name"), max_length=150, required=False)

    def clean_place(self) -> Point | None:
        lat, lng = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        if lat is not None and lng is not None:
            return Point(lng, lat, srid=WGS84)
        text = (self.cleaned_data.get("postcode") or "").strip()
        if not text:
            self.add_error("postcode", _("Give a postcode, or tap the map."))
            return None
        found = postcode_lookup(text)
        if not found.ok:
            self.add_error("postcode", found.message)
            return None
        return found.point

    def clean(self):
        cleaned = super().clean()
        cleaned["point"] = self.clean_place()
        return cleaned


def staff_choices(user: User, *also: User):
    """Staff working in or over ``user``'s areas (``user`` among them), and ``also``."""
    from accounts.permissions import areas_for

    visible = areas_for(user)
    over = Q(staff__areas__in=visible) | Q(staff__areas__children__in=visible)
    over |= Q(staff__areas__children__children__in=visible)
    return (
        User.objects.filter(
            Q(pk__in=User.objects.filter(over, staff__is_active=True).values("pk"))
            | Q(pk__in=[u.pk for u in also])
            | Q(pk=user.pk)
        )
        .distinct()
        .order_by("name", "email")
    )


class EventForm(PlaceMixin):
    kind = forms.ChoiceField(label=_("Type of event"), choices=EngagementEvent.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You, if none is ticked."),
    )  # fmt: skip
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities supported"), queryset=CommunityGroup.objects.all(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    field_order = ["kind", "title", "starts_at", "postcode", "place_name", "officers"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = staff_choices(user)


class OutcomeForm(forms.Form):
    attendance = forms.IntegerField(label=_("How many people came"), min_value=0, max_value=100000)
    officers_present = forms.ModelMultipleChoiceField(
        label=_("Officers present"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    issues = forms.MultipleChoiceField(
        label=_("Issues raised"), choices=priorities, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    issues_text = forms.CharField(
        label=_("Other issues raised, in a few words"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    quality = forms.TypedChoiceField(
        label=_("How good was the engagement?"), coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect,
        help_text=_("1 poor, 5 excellent."),
    )  # fmt: skip
    intelligence_submissions = forms.IntegerField(
        label=_("Intelligence submissions made"), min_value=0, max_value=1000, initial=0
    )
    suitable_for_publishing = forms.BooleanField(
        label=_("Suitable for publishing to members"), required=False
    )
    you_said_we_did = forms.CharField(
        label=_("\u201cYou said, we did\u201d link or note"), max_length=300, required=False
    )

    def __init__(self, *args, event: EngagementEvent, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers_present"].queryset = staff_choices(user, *event.officers.all())


class ContactForm(PlaceMixin):
    met_at = forms.DateTimeField(
        label=_("When"),
        initial=timezone.now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    issues = forms.MultipleChoiceField(
        label=_("Issues raised"), choices=priorities, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    issues_text = forms.CharField(
        label=_("Other issues raised, in a few words"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    signup_offered = forms.BooleanField(label=_("Alert sign-up offered"), required=False)
    signup_taken = forms.BooleanField(label=_("Alert sign-up taken"), required=False)
    diversity_consent = forms.BooleanField(
        label=_("The person agreed to answer the diversity questions"), required=False,
        help_text=_("Ask first. Without agreement, leave the questions below empty."),
    )  # fmt: skip
    age_band = forms.ChoiceField(
        label=_("Age band"), required=False,
        choices=[("", "—"), *demo_choices.AgeBand.choices],
    )  # fmt: skip
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), *demo_choices.Sex.choices]
    )
    ethnic_group = forms.ChoiceField(
        label=_("Ethnic group"), required=False,
        choices=[("", "—"), *demo_choices.EthnicGroup.choices],
    )  # fmt: skip

    field_order = ["met_at", "postcode", "place_name", "issues", "issues_text"]

    def clean(self):
        cleaned = super().clean()
        answered = [f for f in ("age_band", "sex", "ethnic_group") if cleaned.get(f)]
        if answered and not cleaned.get("diversity_consent"):
            for name in answered:
                self.add_error(
                    name, _("Only with the person's agreement: tick the box above, or clear this.")
                )
        if cleaned.get("signup_taken") and not cleaned.get("signup_offered"):
            cleaned["signup_offered"] = True
        return cleaned
