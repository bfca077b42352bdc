from pathlib import Path

from areas.importers.command import ImportCommand
from areas.importers.postcodes import import_postcodes


class Command(ImportCommand):
    help = (
        "Import OS Code-Point Open postcode CSV files (no header row; EPSG:27700). "
        "Import the ward boundaries first."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def run(self, *, progress, files, **options):
        return import_postcodes(files, progress=progress)
