from pathlib import Path

from django.core.management.base import CommandError

from areas.importers.command import ImportCommand
from targeting.importers.geodemographics import import_acorn, import_oac


class Command(ImportCommand):
    help = (
        "Import a geodemographic classification: the ONS area classification per output "
        "area (--scheme oac: Geography_Code, Supergroup, Group, Subgroup; with --names for "
        "the class names), or a force's Acorn file per postcode (--scheme acorn: postcode, "
        "category, group, type). Classes are shown to officers for context; they never "
        "enter a score."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--scheme", choices=("oac", "acorn"), required=True)
        parser.add_argument(
            "--names",
            type=Path,
            help="OAC class names (Level, Classification Code, Classification Name)",
        )

    def run(self, *, progress, file, scheme, names, **options):
        if scheme == "oac":
            return import_oac(file, names=names, progress=progress)
        if names:
            raise CommandError("--names is for --scheme oac; Acorn names come in the file.")
        return import_acorn(file, progress=progress)
