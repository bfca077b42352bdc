from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CrimeCategory, ScoringSettings

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class CrimeUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("police.uk street-level CSV files"),
        help_text=_(
            "One or more monthly files (e.g. 2024-04-humberside-street.csv). A month "
            "imported before is replaced as a whole; nothing is imported if any row has a "
            "problem."
        ),
        widget=MultipleFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            if not upload.name.lower().endswith(".csv"):
                raise forms.ValidationError(
                    _("%(name)s is not a CSV file."), params={"name": upload.name}
                )
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 50 MB."), params={"name": upload.name}
                )
        names = [f.name for f in files]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("The same file name appears twice."))
        return files


class ScoringSettingsForm(forms.ModelForm):
    class Meta:
        model = ScoringSettings
        fields = [
            "weight_harm",
            "weight_trend",
            "weight_concern",
            "weight_confidence",
            "weight_vulnerability",
            "weight_engagement",
            "harm_months",
            "baseline_months",
            "trend_alpha",
            "engagement_target",
            "survey_months",
        ]
        labels = {
            "weight_harm": _("Harm"),
            "weight_trend": _("Trend"),
            "weight_concern": _("Public concern"),
            "weight_confidence": _("Confidence gap"),
            "weight_vulnerability": _("Vulnerability"),
            "weight_engagement": _("Engagement gap"),
            "harm_months": _("Harm window (months)"),
            "baseline_months": _("Baseline (months)"),
            "trend_alpha": _("Significance level of a rise"),
            "engagement_target": _("Target members per 100 households"),
            "survey_months": _("Survey window (months)"),
        }

    def clean(self):
        data = super().clean()
        weights = [data.get(name) for name in self.Meta.fields if name.startswith("weight_")]
        if all(w is not None for w in weights) and sum(weights) <= 0:
            raise forms.ValidationError(_("At least one component needs a weight above 0."))
        return data


class HarmWeightForm(forms.ModelForm):
    class Meta:
        model = CrimeCategory
        fields = ["harm_weight"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["harm_weight"]
        field.label = self.instance.name
        field.help_text = ""
        field.widget.attrs.update({"step": "0.1", "min": "0", "inputmode": "decimal"})


HarmWeightFormSet = forms.modelformset_factory(
    CrimeCategory, form=HarmWeightForm, extra=0, can_delete=False
)
