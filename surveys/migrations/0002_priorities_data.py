"""Reference data: the priority taxonomy in fixtures/priorities.json."""

from django.db import migrations


def load(apps, schema_editor):
    from surveys.reference import load_priorities

    load_priorities(apps.get_model("surveys", "Priority"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
