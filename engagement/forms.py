from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from areas.models import Area

from . import survey_facts
from .models import OfficerProfile, Team, TriggerWord, YouSaidWeDid


class PriorityChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=survey_facts.priority_choices, **kwargs)


class ItemForm(forms.ModelForm):
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label="Area")
    priorities = PriorityChoiceField(label="Survey priorities it is about")

    class Meta:
        model = YouSaidWeDid
        fields = ["area", "source", "title", "said", "planned", "outcome", "priorities"]
        labels = {
            "source": "Where it was raised",
            "title": "Title",
            "said": "You said: what the public raised",
            "planned": "What we planned",
            "outcome": "We did: what was done and what came of it",
        }
        widgets = {
            "said": forms.Textarea(attrs={"rows": 3}),
            "planned": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.order_by("level", "name")


class LocalPrioritiesForm(forms.Form):
    priorities = PriorityChoiceField(label="The ward's local priorities")


class MemberAddForm(forms.Form):
    email = forms.EmailField(label="Email of the member of staff")
    role = forms.CharField(max_length=80, label="Role in the team", initial="PCSO")

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, staff__is_active=True).first()
        if user is None:
            raise forms.ValidationError("No member of staff has that email address.")
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = OfficerProfile
        fields = ["public_name", "about"]
        labels = {"public_name": "Your name as the public sees it", "about": "About you"}
        help_texts = {"about": "A few lines for your ward's public page (up to 600 characters)."}
        widgets = {"about": forms.Textarea(attrs={"rows": 4})}


class BriefingForm(forms.Form):
    """An officer's own choice of the weekly briefing email (accounts.StaffProfile)."""

    weekly_briefing = forms.BooleanField(
        required=False,
        label="Email me my weekly briefing",
        help_text="Every Monday: your wards' top streets, open items, replies and events.",
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Assign to", empty_label="Nobody"
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = User.objects.filter(team_memberships__team=team)


class TriggerWordForm(forms.ModelForm):
    class Meta:
        model = TriggerWord
        fields = ["word", "team"]

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean_word(self) -> str:
        word = self.cleaned_data["word"].strip()
        if not word:
            raise forms.ValidationError("Give a word or phrase.")
        return word
