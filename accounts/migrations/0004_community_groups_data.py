"""Reference data: the community group taxonomy in fixtures/community_groups.json."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    CommunityGroup = apps.get_model("accounts", "CommunityGroup")
    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "community_groups.json").read_text())
    for row in rows:
        fields = dict(row["fields"])
        CommunityGroup.objects.update_or_create(slug=fields.pop("slug"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_member_community_groups")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
