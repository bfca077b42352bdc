"""A place gets its nearest real street ("Parking Area near Hutt Street").

The places already imported get theirs here, as the street importer now does after
each import (``areas.importers.streets.NEAREST_STREET_SQL``, copied as it is today).
"""

import django.db.models.deletion
from django.db import migrations, models

NEAREST_STREET_SQL = """
UPDATE areas_street p
   SET near_id = coalesce(
       (SELECT s.id FROM areas_street s
         WHERE s.kind = 'street' AND s.ward_id = p.ward_id
         ORDER BY s.geometry <-> p.geometry, s.id LIMIT 1),
       (SELECT s.id FROM areas_street s
         WHERE s.kind = 'street'
         ORDER BY s.geometry <-> p.geometry, s.id LIMIT 1))
 WHERE p.kind = 'place'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0002_street_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="street",
            name="near",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="places_near",
                to="areas.street",
            ),
        ),
        migrations.RunSQL(NEAREST_STREET_SQL, migrations.RunSQL.noop),
    ]
