"""Streets get a kind: a real street, or a place police.uk names like one.

The streets already imported are classified by their names, as the importer now does.
"""

from django.db import migrations, models


def classify(apps, schema_editor):
    # The reference data as it is today (areas.location_names): the importer applies
    # the same rule to every street it writes from now on.
    from areas.location_names import is_place

    Street = apps.get_model("areas", "Street")
    names = Street.objects.filter(source="police_uk").values_list("name", flat=True).distinct()
    places = [name for name in names if is_place(name)]
    Street.objects.filter(source="police_uk", name__in=places).update(kind="place")


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="street",
            name="kind",
            field=models.CharField(
                choices=[("street", "Street"), ("place", "Place")], default="street", max_length=6
            ),
        ),
        migrations.RunPython(classify, migrations.RunPython.noop),
    ]
