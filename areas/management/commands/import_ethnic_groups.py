from pathlib import Path

from areas.importers.command import ImportCommand
from areas.importers.ethnic_groups import import_ethnic_groups


class Command(ImportCommand):
    help = (
        "Import Census 2021 TS021 ethnic group by MSOA (the Nomis bulk CSV) and link each "
        "LSOA to its MSOA by name. Import the LSOA boundaries first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def run(self, *, progress, file, **options):
        return import_ethnic_groups(file, progress=progress)
