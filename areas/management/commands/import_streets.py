from pathlib import Path

from django.core.management.base import CommandError

from areas.importers.command import ImportCommand
from areas.importers.streets import import_streets


class Command(ImportCommand):
    help = (
        "Import streets: named road lines from GeoJSON (OpenStreetMap highway lines, OS Open "
        "Roads), each in the ward holding most of its length; and, with --police-uk, the "
        "police.uk map points sharing a name in each ward that has no road lines. Import "
        "the ward boundaries first. All files are imported together or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", type=Path, help="GeoJSON road lines with a name (name, name1)"
        )
        parser.add_argument(
            "--police-uk",
            nargs="+",
            type=Path,
            default=[],
            metavar="CSV",
            help="police.uk street-level crime CSV files",
        )

    def run(self, *, progress, files, police_uk, **options):
        if not files and not police_uk:
            raise CommandError("Give GeoJSON road-line files, --police-uk CSV files, or both.")
        return import_streets(lines=files, police_uk=police_uk, progress=progress)
