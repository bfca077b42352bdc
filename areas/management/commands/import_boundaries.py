from pathlib import Path

from areas.importers.boundaries import import_boundaries
from areas.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import ONS district, ward and LSOA boundaries (GeoJSON or GeoJSON sequence, "
        "WGS84 or EPSG:27700). All files are imported together or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--force-code", help="ONS code of the police force area (E23...)")
        parser.add_argument("--force-name", help="name of the police force area")

    def run(self, *, progress, files, force_code=None, force_name=None, **options):
        return import_boundaries(
            files, force_code=force_code, force_name=force_name, progress=progress
        )
