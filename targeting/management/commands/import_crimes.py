from pathlib import Path

from django.db import connection, transaction

from areas.importers.command import ImportCommand
from targeting.importers.crimes import STREET_DISTANCE_M, CrimeImportSummary, place_map_points
from targeting.services import crimes_import


class Command(ImportCommand):
    help = (
        "Import police.uk street-level crime CSVs. Every row is kept (Crime ID is empty on "
        "anti-social behaviour rows and not unique); importing a force's month again "
        "replaces it as a whole. All files are imported together or not at all. Scores "
        "are then recomputed by a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, metavar="FILE")
        parser.add_argument(
            "--no-score",
            action="store_true",
            help="do not recompute scores afterwards (run compute_scores later)",
        )
        parser.add_argument(
            "--relocate",
            action="store_true",
            help=(
                "place every map point again in its ward and on its nearest street "
                f"(within {STREET_DISTANCE_M:.0f} m), after new boundaries or streets"
            ),
        )

    def run(self, *, progress, files, no_score, relocate, **options):
        summary = None
        if files or not relocate:
            summary = crimes_import(paths=files, progress=progress, schedule_scoring=not no_score)
        if relocate:
            with transaction.atomic(), connection.cursor() as cursor:
                placed = place_map_points(cursor, everything=True)
            summary = summary or CrimeImportSummary()
            summary.updated += placed
            summary.warnings.append(f"{placed} map points placed again")
        return summary
