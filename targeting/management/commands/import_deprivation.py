from pathlib import Path

from areas.importers.command import ImportCommand
from targeting.importers.deprivation import import_deprivation


class Command(ImportCommand):
    help = (
        "Import the English Indices of Deprivation 2019 (File 2, ranks and deciles by 2011 "
        "LSOA), mapped to 2021 LSOAs with the ONS LSOA 2011 -> 2021 best-fit lookup. "
        "Deprivation feeds the vulnerability component of street scores."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--lookup",
            type=Path,
            required=True,
            help="LSOA 2011 -> 2021 lookup CSV (columns LSOA11CD, LSOA21CD)",
        )

    def run(self, *, progress, file, lookup, **options):
        return import_deprivation(file, lookup=lookup, progress=progress)
