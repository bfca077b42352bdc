"""Geodemographic classes (OAC per output area, Acorn per postcode) and deprivation."""

from __future__ import annotations

import csv

import pytest
from django.db.models import Count

from areas.models import GeodemographicClass, OutputArea, Postcode
from targeting.models import LsoaDeprivation
from tests.areas.conftest import problems, run_import, run_rejected

pytestmark = pytest.mark.django_db

IOD = "deprivation/iod2019/File_2_-_IoD2019_Domains_of_Deprivation__humberside.csv"
LOOKUP = (
    "lookups/LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_"
    "England_and_Wales__humberside.csv"
)


def test_oac_classes_are_set_on_the_output_areas(data):
    OutputArea.objects.update(classification=None)

    summary = run_import(
        "import_geodemographics",
        data / "classification/UK_OAC_Final__humberside.csv",
        "--scheme",
        "oac",
        "--names",
        data / "classification/classification_codes_and_names.csv",
    )

    assert summary["updated"] == 3117
    oa = OutputArea.objects.select_related("classification__parent__parent").get(code="E00064333")
    assert oa.classification.code == "6b3"
    assert oa.classification.parent.parent.name == "Baseline UK"


def test_importing_the_oac_again_changes_nothing(data):
    args = (
        data / "classification/UK_OAC_Final__humberside.csv",
        "--scheme",
        "oac",
        "--names",
        data / "classification/classification_codes_and_names.csv",
    )
    run_import("import_geodemographics", *args)

    assert run_import("import_geodemographics", *args)["updated"] == 0


def write_acorn(path, rows: list[str]):
    path.write_text("Postcode,Category,Group,Type\r\n" + "\r\n".join(rows) + "\r\n")
    return path


def test_acorn_types_are_set_on_postcodes_in_the_same_shape(tmp_path):
    file = write_acorn(
        tmp_path / "acorn.csv",
        [
            "HU1 2PD,4 Financially Stretched,M Striving Families,45 Families in terraces",
            "hu11al,4,M,45",
            "HU1 1AA,5 Urban Adversity,P Struggling Estates,55 Deprived and ethnically diverse",
        ],
    )

    summary = run_import("import_geodemographics", file, "--scheme", "acorn")

    assert summary["updated"] == 3
    postcode = Postcode.objects.select_related("classification__parent__parent").get(code="HU1 1AL")
    assert postcode.classification.code == "4.M.45"
    assert postcode.classification.name == "Families in terraces"
    assert postcode.classification.parent.parent.name == "Financially Stretched"
    assert postcode.classification.scheme == GeodemographicClass.Scheme.ACORN


def test_an_acorn_file_with_a_bad_row_imports_nothing(tmp_path):
    Postcode.objects.update(classification=None)
    file = write_acorn(tmp_path / "acorn.csv", ["HU1 2PD,4,M,45", "NOT A POSTCODE,4,M,45"])

    summary, _ = run_rejected("import_geodemographics", file, "--scheme", "acorn")

    assert problems(summary) == [("acorn.csv", 3, "Postcode")]
    assert not Postcode.objects.filter(classification__isnull=False).exists()


def test_an_acorn_type_under_two_groups_is_a_broken_hierarchy(tmp_path):
    file = write_acorn(tmp_path / "acorn.csv", ["HU1 2PD,4,M,45", "HU1 1AL,4,N,45"])

    summary, _ = run_rejected("import_geodemographics", file, "--scheme", "acorn")

    assert problems(summary) == [("acorn.csv", 3, "Type")]


def test_deprivation_covers_every_2021_lsoa(data):
    summary = run_import("import_deprivation", data / IOD, "--lookup", data / LOOKUP)

    assert summary["imported"] == 591
    methods = dict(LsoaDeprivation.objects.values_list("method").annotate(n=Count("id")).order_by())
    assert methods == {"same": 561, "best_fit": 12, "merged": 5, "neighbour": 13}
    hull_025a = LsoaDeprivation.objects.get(lsoa__code="E01012756")
    assert (hull_025a.imd_rank, hull_025a.imd_decile) == (11457, 4)


def test_merged_lsoas_take_the_mean_rank_and_its_decile(data):
    run_import("import_deprivation", data / IOD, "--lookup", data / LOOKUP)

    merged = LsoaDeprivation.objects.filter(method="merged").first()
    assert "," in merged.lsoa11_codes
    assert merged.imd_decile == min(10, max(1, -(-merged.imd_rank * 10 // 32844)))


def test_importing_deprivation_again_changes_nothing(data):
    run_import("import_deprivation", data / IOD, "--lookup", data / LOOKUP)

    again = run_import("import_deprivation", data / IOD, "--lookup", data / LOOKUP)

    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 591)


def test_a_deprivation_file_with_a_bad_decile_imports_nothing(data, tmp_path):
    with (data / IOD).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[9][5] = "11"  # line 10, the IMD decile
    broken = tmp_path / "iod.csv"
    with broken.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)

    summary, _ = run_rejected("import_deprivation", broken, "--lookup", data / LOOKUP)

    assert problems(summary) == [
        (
            "iod.csv",
            10,
            "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
        )
    ]
    assert not LsoaDeprivation.objects.exists()
