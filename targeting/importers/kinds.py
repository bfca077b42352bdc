"""The kinds of data an admin can import in the browser: one registry, one import job.

Each kind names its files (``FileSlot``: a form field each, some several files), the
importer that reads them (all-or-nothing, safe to repeat), which scored periods it
invalidates, and how to say what is loaded (for the data status page). The import job
(``targeting.models.ImportJob``), its worker task, its pages and its history are the
same for every kind; a new kind is a new entry here.

The importers of ``areas`` are called from here because targeting sits above areas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from areas.importers.base import ImportSummary, Progress
from areas.importers.boundaries import import_boundaries
from areas.importers.ethnic_groups import import_ethnic_groups
from areas.importers.output_areas import import_output_areas
from areas.importers.postcodes import import_postcodes
from areas.models import Area, GeodemographicClass, Lsoa, Msoa, OutputArea, Postcode

from ..models import Crime, LsoaDeprivation
from .crimes import import_crimes
from .deprivation import import_deprivation
from .geodemographics import import_acorn, import_oac

CSV = (".csv",)
GEOJSON = (".geojson", ".json")
# The earliest period: "every scored period" for scores_compute_from.
ALL_PERIODS = date(1900, 1, 1)


@dataclass(frozen=True)
class FileSlot:
    """One file input of a kind's upload form."""

    name: str
    label: str
    help: str
    required: bool = True
    multiple: bool = False
    extensions: tuple[str, ...] = CSV

    @property
    def accept(self) -> str:
        return ",".join(self.extensions)

    @property
    def type_name(self) -> str:
        return "GeoJSON" if self.extensions == GEOJSON else "CSV"


Files = dict[str, list[Path]]
Runner = Callable[..., ImportSummary]


@dataclass(frozen=True)
class ImportKind:
    name: str
    label: str  # "police.uk street-level crime"
    title: str  # page heading: "Import crime data"
    description: str
    slots: tuple[FileSlot, ...]
    run: Callable[[Files, int | None, int | None, Progress], ImportSummary]
    # The first period whose scores the import changes (None: scores do not read it).
    rescore_from: Callable[[ImportSummary], date | None]
    loaded: Callable[[], list[str]]

    def slot(self, name: str) -> FileSlot:
        return next(s for s in self.slots if s.name == name)


def _one(files: Files, slot: str) -> Path | None:
    found = files.get(slot) or []
    return found[0] if found else None


def _never(summary: ImportSummary) -> date | None:
    return None


def _every_period(summary: ImportSummary) -> date | None:
    return ALL_PERIODS if summary.imported or summary.updated else None


def _first_month(summary: ImportSummary) -> date | None:
    months = getattr(summary, "months", [])
    return min(date.fromisoformat(m["month"] + "-01") for m in months) if months else None


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}"


# --- The kinds ------------------------------------------------------------------------------


def _run_boundaries(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_boundaries(files["files"], progress=progress)


def _loaded_boundaries() -> list[str]:
    levels = {
        level: Area.objects.filter(level=level).count()
        for level in (Area.Level.DISTRICT, Area.Level.WARD)
    }
    return [
        _count(levels[Area.Level.DISTRICT], "districts"),
        _count(levels[Area.Level.WARD], "wards"),
        _count(Lsoa.objects.exclude(boundary=None).count(), "LSOAs with a boundary"),
    ]


def _run_postcodes(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_postcodes(files["files"], progress=progress)


def _loaded_postcodes() -> list[str]:
    return [
        _count(Postcode.objects.count(), "postcodes"),
        _count(Postcode.objects.exclude(ward=None).count(), "in a ward of the force"),
    ]


def _run_output_areas(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_output_areas(
        lookup=_one(files, "lookup"),
        boundaries=files.get("boundaries") or [],
        population=_one(files, "population"),
        households=_one(files, "households"),
        classification=_one(files, "classification"),
        names=_one(files, "names"),
        progress=progress,
    )


def _loaded_output_areas() -> list[str]:
    areas = OutputArea.objects
    return [
        _count(areas.count(), "output areas"),
        _count(areas.exclude(usual_residents=None).count(), "with usual residents"),
        _count(areas.exclude(households=None).count(), "with households"),
        _count(areas.exclude(boundary=None).count(), "with a boundary"),
    ]


def _run_ethnic_groups(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_ethnic_groups(_one(files, "file"), progress=progress)


def _loaded_ethnic_groups() -> list[str]:
    return [
        _count(Msoa.objects.exclude(ethnic_groups={}).count(), "MSOAs with ethnic groups"),
        _count(Lsoa.objects.exclude(msoa=None).count(), "LSOAs linked to their MSOA"),
    ]


def _run_oac(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_oac(_one(files, "file"), names=_one(files, "names"), progress=progress)


def _loaded_oac() -> list[str]:
    scheme = GeodemographicClass.Scheme.OAC
    return [
        _count(OutputArea.objects.filter(classification__scheme=scheme).count(), "output areas"),
        _count(GeodemographicClass.objects.filter(scheme=scheme).count(), "classes"),
    ]


def _run_acorn(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_acorn(_one(files, "file"), progress=progress)


def _loaded_acorn() -> list[str]:
    scheme = GeodemographicClass.Scheme.ACORN
    return [
        _count(Postcode.objects.filter(classification__scheme=scheme).count(), "postcodes"),
        _count(GeodemographicClass.objects.filter(scheme=scheme).count(), "classes"),
    ]


def _run_deprivation(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_deprivation(_one(files, "file"), lookup=_one(files, "lookup"), progress=progress)


def _loaded_deprivation() -> list[str]:
    return [_count(LsoaDeprivation.objects.count(), "LSOAs with deprivation ranks")]


def _run_crimes(files: Files, user_id, job_id, progress) -> ImportSummary:
    return import_crimes(files["files"], user_id=user_id, job_id=job_id, progress=progress)


def _loaded_crimes() -> list[str]:
    return [_count(Crime.objects.count(), "crimes and anti-social behaviour reports")]


KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        ImportKind(
            name="boundaries",
            label="Boundaries (districts, wards, LSOAs)",
            title="Import boundaries",
            description=(
                "ONS boundary files in GeoJSON (WGS84 or British National Grid): local "
                "authority districts, wards and LSOAs, recognised by their properties "
                "(LAD24CD, WD24CD, LSOA21CD...). Import districts before their wards. "
                "An area imported before is updated; the same file again changes nothing."
            ),
            slots=(
                FileSlot(
                    "files",
                    "Boundary files (GeoJSON)",
                    "One or more files, e.g. the districts and the wards together.",
                    multiple=True,
                    extensions=GEOJSON,
                ),
            ),
            run=_run_boundaries,
            rescore_from=_every_period,
            loaded=_loaded_boundaries,
        ),
        ImportKind(
            name="postcodes",
            label="Postcodes (OS Code-Point Open)",
            title="Import postcodes",
            description=(
                "OS Code-Point Open CSV files (one per postcode area, e.g. hu.csv; no header "
                "row). Postcodes get the ward their file names; import the wards first."
            ),
            slots=(
                FileSlot(
                    "files",
                    "Code-Point Open CSV files",
                    "One or more postcode-area files from Data/CSV/.",
                    multiple=True,
                ),
            ),
            run=_run_postcodes,
            rescore_from=_never,
            loaded=_loaded_postcodes,
        ),
        ImportKind(
            name="output_areas",
            label="Output areas and Census tables",
            title="Import output areas and Census tables",
            description=(
                "Census 2021 output areas: the OA to LSOA lookup, and with it any of their "
                "boundaries, usual residents (TS001), households (TS041) and the ONS area "
                "classification. Import the LSOA and ward boundaries first. A table not "
                "given leaves what is loaded as it is."
            ),
            slots=(
                FileSlot(
                    "lookup",
                    "OA to LSOA lookup (CSV)",
                    "Columns OA and geography_code, or OA21CD and LSOA21CD.",
                ),
                FileSlot(
                    "boundaries",
                    "Output-area boundaries (GeoJSON)",
                    "Files with an OA11CD or OA21CD property.",
                    required=False,
                    multiple=True,
                    extensions=GEOJSON,
                ),
                FileSlot(
                    "population",
                    "Usual residents, TS001 (CSV)",
                    "Column ts0010001.",
                    required=False,
                ),
                FileSlot(
                    "households",
                    "Households, TS041 (CSV)",
                    "Column ts0410001.",
                    required=False,
                ),
                FileSlot(
                    "classification",
                    "Area classification by output area (CSV)",
                    "Columns Geography_Code, Supergroup, Group, Subgroup.",
                    required=False,
                ),
                FileSlot(
                    "names",
                    "Area classification names (CSV)",
                    "Columns Level, Classification Code, Classification Name.",
                    required=False,
                ),
            ),
            run=_run_output_areas,
            rescore_from=_every_period,
            loaded=_loaded_output_areas,
        ),
        ImportKind(
            name="ethnic_groups",
            label="Census ethnic group (TS021, by MSOA)",
            title="Import Census ethnic group",
            description=(
                "Census 2021 TS021 ethnic group per MSOA, in the Nomis bulk layout (the "
                "five high-level and 19 detailed groups). There is no output-area TS021: "
                "each LSOA is linked to its MSOA by name, so import the LSOA boundaries "
                "first. Used for representativeness and set-ups only; never in a score."
            ),
            slots=(
                FileSlot(
                    "file",
                    "TS021 by MSOA (CSV)",
                    "Columns geography, geography code, Ethnic group: Total: All usual "
                    "residents and the 24 groups.",
                ),
            ),
            run=_run_ethnic_groups,
            rescore_from=_never,
            loaded=_loaded_ethnic_groups,
        ),
        ImportKind(
            name="oac",
            label="ONS area classification",
            title="Import the ONS area classification",
            description=(
                "The 2021 Output Area Classification per output area, with the names of its "
                "classes (needed the first time). Classes are context for officers; they "
                "never enter a score."
            ),
            slots=(
                FileSlot(
                    "file",
                    "Classification by output area (CSV)",
                    "Columns Geography_Code, Supergroup, Group, Subgroup.",
                ),
                FileSlot(
                    "names",
                    "Class names (CSV)",
                    "Columns Level, Classification Code, Classification Name. Optional once "
                    "the classes are loaded.",
                    required=False,
                ),
            ),
            run=_run_oac,
            rescore_from=_never,
            loaded=_loaded_oac,
        ),
        ImportKind(
            name="acorn",
            label="Acorn by postcode",
            title="Import an Acorn file",
            description=(
                "A force's CACI Acorn file: one row per postcode with its Acorn category, "
                "group and type (codes, optionally followed by names). Classes are context "
                "for officers; they never enter a score."
            ),
            slots=(
                FileSlot(
                    "file",
                    "Acorn file (CSV)",
                    "Columns Postcode, Acorn Category, Acorn Group, Acorn Type.",
                ),
            ),
            run=_run_acorn,
            rescore_from=_never,
            loaded=_loaded_acorn,
        ),
        ImportKind(
            name="deprivation",
            label="English Indices of Deprivation",
            title="Import the Indices of Deprivation",
            description=(
                "IoD2019 File 2 (ranks and deciles by 2011 LSOA) with the ONS LSOA 2011 to "
                "2021 best-fit lookup. Deprivation feeds the vulnerability part of the "
                "scores: every scored month is scored again after a change."
            ),
            slots=(
                FileSlot(
                    "file",
                    "IoD2019 File 2 (CSV)",
                    "Columns LSOA code (2011), the IMD rank and decile, the domain ranks.",
                ),
                FileSlot("lookup", "LSOA 2011 to 2021 lookup (CSV)", "Columns LSOA11CD, LSOA21CD."),
            ),
            run=_run_deprivation,
            rescore_from=_every_period,
            loaded=_loaded_deprivation,
        ),
        ImportKind(
            name="crimes",
            label="police.uk street-level crime",
            title="Import crime data",
            description=(
                "police.uk street-level files (one per force and month; several months at "
                "once). Every row is kept; a month imported before is replaced as a whole. "
                "The months imported and every later month are scored again."
            ),
            slots=(
                FileSlot(
                    "files",
                    "police.uk street-level CSV files",
                    "One or more monthly files (e.g. 2024-04-humberside-street.csv).",
                    multiple=True,
                ),
            ),
            run=_run_crimes,
            rescore_from=_first_month,
            loaded=_loaded_crimes,
        ),
    )
}


def kind_of(name: str) -> ImportKind:
    """The kind called ``name``; KeyError when there is none."""
    return KINDS[name]
