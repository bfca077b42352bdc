"""Reference data: crime categories with harm weights (fixtures/harm_weights.json) and
the default scoring settings. Admins change both in the app afterwards."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    CrimeCategory = apps.get_model("targeting", "CrimeCategory")
    ScoringSettings = apps.get_model("targeting", "ScoringSettings")
    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "harm_weights.json").read_text())
    for row in rows:
        if row["model"] != "targeting.crimecategory":
            continue
        fields = dict(row["fields"])
        CrimeCategory.objects.update_or_create(slug=fields.pop("slug"), defaults=fields)
    ScoringSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("targeting", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
