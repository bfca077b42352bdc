from pathlib import Path

from areas.importers.command import ImportCommand
from areas.importers.output_areas import import_output_areas


class Command(ImportCommand):
    help = (
        "Import Census 2021 output areas: the OA21 -> LSOA21 lookup, and optionally their "
        "boundaries (GeoJSON, OA11CD/OA21CD), usual residents (TS001), households (TS041) "
        "and the ONS area classification with its names. Import the LSOA and ward "
        "boundaries first. All files are imported together or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lookup",
            type=Path,
            required=True,
            help="OA21 -> LSOA21 lookup CSV (columns OA, geography_code or OA21CD, LSOA21CD)",
        )
        parser.add_argument(
            "--boundaries",
            nargs="+",
            type=Path,
            default=[],
            metavar="FILE",
            help="output-area boundary GeoJSON files (2011 boundaries serve 2021 codes)",
        )
        parser.add_argument(
            "--population", type=Path, help="Census 2021 TS001 usual residents by OA (ts0010001)"
        )
        parser.add_argument(
            "--households", type=Path, help="Census 2021 TS041 households by OA (ts0410001)"
        )
        parser.add_argument(
            "--classification",
            type=Path,
            help="OAC by OA (Geography_Code, Supergroup, Group, Subgroup)",
        )
        parser.add_argument(
            "--names",
            type=Path,
            help="OAC class names (Level, Classification Code, Classification Name)",
        )

    def run(
        self,
        *,
        progress,
        lookup,
        boundaries,
        population,
        households,
        classification,
        names,
        **options,
    ):
        return import_output_areas(
            lookup=lookup,
            boundaries=boundaries,
            population=population,
            households=households,
            classification=classification,
            names=names,
            progress=progress,
        )
