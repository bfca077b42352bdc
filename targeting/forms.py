from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .importers.kinds import ImportKind
from .models import CrimeCategory, ScoringSettings


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [f for f in files if f]
        if not files:
            if not self.required:
                return []
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ImportUploadForm(forms.Form):
    """The upload form of one kind of data: a file field per slot of the kind.

    Limits (settings ``IMPORT_MAX_FILES``, ``IMPORT_MAX_BYTES``) hold for the whole
    upload. ``check`` (the "Check only" button) runs the import and rolls it back.
    """

    def __init__(self, *args, kind: ImportKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for slot in kind.slots:
            attrs = {"accept": slot.accept, "aria-describedby": f"id_{slot.name}_help"}
            if slot.multiple:
                field = MultipleFileField(widget=MultipleFileInput(attrs=attrs))
            else:
                field = forms.FileField(widget=forms.ClearableFileInput(attrs=attrs))
            field.label, field.help_text, field.required = slot.label, slot.help, slot.required
            self.fields[slot.name] = field

    def uploads(self) -> dict[str, list]:
        """Slot -> the files given for it (only slots with files)."""
        found = {}
        for slot in self.kind.slots:
            value = self.cleaned_data.get(slot.name)
            files = value if isinstance(value, list) else [value] if value else []
            if files:
                found[slot.name] = files
        return found

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        files = [f for group in self.uploads().values() for f in group]
        for slot in self.kind.slots:
            for upload in self.uploads().get(slot.name, []):
                if not upload.name.lower().endswith(slot.extensions):
                    self.add_error(
                        slot.name,
                        _("%(name)s is not a %(type)s file.")
                        % {"name": upload.name, "type": slot.type_name},
                    )
        limit, most = settings.IMPORT_MAX_FILES, settings.IMPORT_MAX_BYTES
        if len(files) > limit:
            raise forms.ValidationError(
                _("At most %(limit)s files can be uploaded at once; these are %(count)s.")
                % {"limit": limit, "count": len(files)}
            )
        total = sum(f.size for f in files)
        if total > most:
            raise forms.ValidationError(
                _("The files come to %(size)s; one upload can hold at most %(limit)s.")
                % {"size": filesizeformat(total), "limit": filesizeformat(most)}
            )
        names = [f.name for f in files]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("The same file name appears twice."))
        return cleaned


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
