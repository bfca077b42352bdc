"""Reference data: the default public-confidence survey in fixtures/default_survey.json.

Loaded once as published version 1 of an active survey; admins change it in the app
afterwards (each change is a new version), so a later run never overwrites it.
"""

from django.db import migrations


def load(apps, schema_editor):
    from surveys.reference import load_default_survey

    load_default_survey(
        apps.get_model("surveys", "Survey"),
        apps.get_model("surveys", "SurveyVersion"),
        apps.get_model("surveys", "Question"),
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_priorities_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
