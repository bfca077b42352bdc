"""Every kind of data through its upload page, run by a real worker: a bad file imports
nothing and reports its lines; a good file imports; the same file again changes nothing.

The files are small cuts of the repository's data/ for Kingston upon Hull (E06000010),
written under ``tmp_path``. The test starts from an empty geography, so each kind finds
what the one before it loaded, as an admin setting up a new force would.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from areas.models import Area, Lsoa, Msoa, OutputArea, Postcode
from demo.acorn import acorn_file
from demo.geography import (
    boundary_files,
    ethnic_group_file,
    output_area_files,
    police_street_files,
    postcode_files,
)
from demo.targeting import deprivation_files
from targeting.models import Crime, ImportJob, LsoaDeprivation, ScoringRun
from tests.areas.conftest import first_lines, read_features, write_features
from tests.celery_worker import running_worker, wait_for
from tests.factories import make_staff
from tests.factories.targeting import load_reference_data

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HULL = "E06000010"
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"


# --- Small files cut from data/ -------------------------------------------------------------


def _csv_rows(path: Path) -> tuple[str, list[str], list[list[str]]]:
    """(byte-order mark, header, rows) of a CSV file."""
    text = path.read_text(encoding="utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    return bom, rows[0], rows[1:]


def _write_csv(
    target: Path, header: list[str] | None, rows: list[list[str]], bom: str = ""
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    target.write_text(bom + out.getvalue(), encoding="utf-8")
    return target


def _cut(source: Path, target: Path, keep) -> Path:
    bom, header, rows = _csv_rows(source)
    return _write_csv(
        target, header, [r for r in rows if keep(dict(zip(header, r, strict=True)))], bom
    )


def _spoil(source: Path, target: Path, line: int, column: int, value: str) -> Path:
    """A copy of a CSV file with one value changed (``line`` counts the header as 1)."""
    bom, header, rows = _csv_rows(source)
    rows[line - 2][column] = value
    return _write_csv(target, header, rows, bom)


def hull_files(folder: Path) -> dict[str, dict[str, list[Path]]]:
    """Good files of every kind, for Hull only (slot -> files, per kind)."""
    folder.mkdir()
    districts, wards, lsoas = boundary_files()
    hull_wards = [f for f in read_features(wards) if f["properties"].get("lad_code") == HULL]
    hull_lsoas = [f for f in read_features(lsoas) if f["properties"].get("LAD23CD") == HULL]
    lsoa_codes = {f["properties"]["LSOA21CD"] for f in hull_lsoas}
    oa = output_area_files()
    lookup = _cut(
        oa["lookup"], folder / "oa_lookup.csv", lambda r: r["geography_code"] in lsoa_codes
    )
    oa_codes = {row[0] for row in _csv_rows(lookup)[2]}
    in_hull = lambda column: lambda r: r[column] in oa_codes  # noqa: E731
    hu = next(p for p in postcode_files() if p.name == "hu.csv")
    hu_rows = [r for r in csv.reader(io.StringIO(hu.read_text())) if r[8] == HULL][:300]
    iod = deprivation_files()
    return {
        "boundaries": {
            "files": [
                districts,
                write_features(folder / "hull_wards.geojson", hull_wards),
                write_features(folder / "hull_lsoas.geojson", hull_lsoas),
            ]
        },
        "postcodes": {"files": [_write_csv(folder / "hu.csv", None, hu_rows)]},
        "output_areas": {
            "lookup": [lookup],
            "population": [_cut(oa["population"], folder / "ts001.csv", in_hull("OA"))],
            "households": [_cut(oa["households"], folder / "ts041.csv", in_hull("OA"))],
        },
        "ethnic_groups": {
            "file": [
                _cut(
                    ethnic_group_file(),
                    folder / "ts021.csv",
                    lambda r: r["geography"].startswith("Kingston upon Hull"),
                )
            ]
        },
        "oac": {
            "file": [_cut(oa["classification"], folder / "oac.csv", in_hull("Geography_Code"))],
            "names": [oa["names"]],
        },
        "acorn": {"file": [first_lines(acorn_file(), folder / "acorn.csv", 301)]},
        "deprivation": {
            "file": [
                _cut(
                    iod["path"],
                    folder / "iod.csv",
                    lambda r: r["Local Authority District code (2019)"] == HULL,
                )
            ],
            "lookup": [
                _cut(iod["lookup"], folder / "lsoa_lookup.csv", lambda r: r["LAD22CD"] == HULL)
            ],
        },
        "crimes": {
            "files": [
                first_lines(police_street_files()[0], folder / "2024-01-humberside-street.csv", 61),
                first_lines(police_street_files()[1], folder / "2024-02-humberside-street.csv", 61),
            ]
        },
    }


def bad_files(good: dict, folder: Path) -> dict[str, tuple[dict, tuple[str, int, str]]]:
    """One broken copy per kind, and the (file, line, column) its report must name."""
    folder.mkdir()
    wards = good["boundaries"]["files"][1]
    features = read_features(wards)
    features[2]["properties"]["ward_code"] = "W123"
    spoiled_wards = write_features(folder / wards.name, features)
    hu = good["postcodes"]["files"][0]
    rows = list(csv.reader(io.StringIO(hu.read_text())))
    rows[2][2] = "east"
    lookup = good["output_areas"]["lookup"][0]
    oac = good["oac"]["file"][0]
    ts021 = good["ethnic_groups"]["file"][0]
    acorn = good["acorn"]["file"][0]
    iod = good["deprivation"]["file"][0]
    month = good["crimes"]["files"][1]
    return {
        "boundaries": ({"files": [spoiled_wards]}, (wards.name, 4, "code")),
        "postcodes": ({"files": [_write_csv(folder / "hu.csv", None, rows)]}, ("hu.csv", 3, "EA")),
        "output_areas": (
            {"lookup": [_spoil(lookup, folder / lookup.name, 4, 1, "nowhere")]},
            (lookup.name, 4, "geography_code"),
        ),
        "ethnic_groups": (
            {"file": [_spoil(ts021, folder / ts021.name, 3, 2, "Hull")]},
            (ts021.name, 3, "geography code"),
        ),
        "oac": (
            {"file": [_spoil(oac, folder / oac.name, 3, 3, "9z9")], "names": good["oac"]["names"]},
            (oac.name, 3, "Subgroup"),
        ),
        "acorn": (
            {"file": [_spoil(acorn, folder / acorn.name, 3, 0, "NOT A POSTCODE")]},
            (acorn.name, 3, "Postcode"),
        ),
        "deprivation": (
            {
                "file": [_spoil(iod, folder / iod.name, 3, 5, "11")],
                "lookup": good["deprivation"]["lookup"],
            },
            (iod.name, 3, IMD_DECILE),
        ),
        "crimes": (
            {
                "files": [
                    good["crimes"]["files"][0],
                    _spoil(month, folder / month.name, 7, 1, "Feb"),
                ]
            },
            (month.name, 7, "Month"),
        ),
    }


# --- What each kind loads -------------------------------------------------------------------

LOADED = {
    "boundaries": lambda: (
        Area.objects.exclude(level=Area.Level.FORCE).count(),
        Lsoa.objects.count(),
    ),
    "postcodes": lambda: Postcode.objects.count(),
    "output_areas": lambda: OutputArea.objects.exclude(households=None).count(),
    "ethnic_groups": lambda: (Msoa.objects.count(), Lsoa.objects.exclude(msoa=None).count()),
    "oac": lambda: OutputArea.objects.exclude(classification=None).count(),
    "acorn": lambda: Postcode.objects.filter(classification__scheme="acorn").count(),
    "deprivation": lambda: LsoaDeprivation.objects.count(),
    "crimes": lambda: Crime.objects.count(),
}


def upload(client, kind: str, files: dict[str, list[Path]], action: str = "import") -> ImportJob:
    data = {
        slot: [SimpleUploadedFile(p.name, p.read_bytes()) for p in paths]
        for slot, paths in files.items()
    }
    response = client.post(f"/staff/priorities/imports/{kind}/", data | {"action": action})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=120)
    job.refresh_from_db()
    return job


def empty_geography() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE areas_area, areas_lsoa, areas_msoa, areas_postcode, areas_outputarea, "
            "areas_geodemographicclass, targeting_lsoadeprivation, targeting_crime, "
            "targeting_crimeimport, targeting_mappoint CASCADE"
        )


def test_every_kind_uploads_checks_bad_files_imports_good_ones_and_repeats_safely(client, tmp_path):
    empty_geography()
    load_reference_data()
    force = Area.objects.create(code=settings.FORCE_CODE, name="Humberside", level="force")
    admin = make_staff("data.admin@example.test", "admin", [force])
    client.force_login(admin)
    good = hull_files(tmp_path / "good")
    bad = bad_files(good, tmp_path / "bad")

    with running_worker(concurrency=1, queues=["imports", "default"]):
        for kind, files in good.items():
            bad_upload, (name, line, column) = bad[kind]
            before = LOADED[kind]()

            failed = upload(client, kind, bad_upload)

            assert failed.status == ImportJob.Status.FAILED, (kind, failed.message)
            assert {"file": name, "line": line, "column": column} in [
                {k: e[k] for k in ("file", "line", "column")} for e in failed.errors
            ], (kind, failed.errors)
            assert LOADED[kind]() == before, kind
            page = client.get(f"/staff/priorities/imports/{failed.pk}/").content.decode()
            assert "Nothing was imported" in page and name in page

            imported = upload(client, kind, files)

            assert imported.status == ImportJob.Status.SUCCEEDED, (kind, imported.errors)
            assert imported.summary["imported"] + imported.summary["updated"] > 0, kind
            assert LOADED[kind]() != before, kind
            after = LOADED[kind]()

            again = upload(client, kind, files)

            assert again.status == ImportJob.Status.SUCCEEDED, kind
            assert LOADED[kind]() == after, kind
            if kind != "crimes":  # a month imported again is replaced as a whole
                assert again.summary["imported"] == again.summary["updated"] == 0, kind
            assert all(bytes(f.content) == b"" for f in again.files.all())
        # The crime import had the months it brought scored (a recorded run).
        wait_for(lambda: ScoringRun.objects.exclude(finished_at=None).exists(), timeout=120)

    run = ScoringRun.objects.exclude(finished_at=None).first()
    assert run.periods == ["2024-01-01", "2024-02-01"]
    status = client.get("/staff/priorities/data/").content.decode()
    assert "January 2024" in status and "February 2024" in status
    assert "2024-02-humberside-street.csv" in status
    assert json.loads(client.get(f"/staff/priorities/imports/{again.pk}/progress.json").content)[
        "finished"
    ]
