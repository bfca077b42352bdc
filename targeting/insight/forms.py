from django import forms

from .models import InsightSettings


class InsightSettingsForm(forms.ModelForm):
    class Meta:
        model = InsightSettings
        fields = ["representation_target"]
        labels = {"representation_target": "Representation target (0.7 = 70%)"}
