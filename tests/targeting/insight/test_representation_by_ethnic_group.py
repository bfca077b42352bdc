"""Representativeness by Census ethnic group on a hand-built population, worked out by hand.

The output areas of conftest.py (Riverside: 500, 300 and 200 residents) in two MSOAs:

| MSOA   | output areas | TS021 residents                     | share Pakistani |
|--------|--------------|-------------------------------------|-----------------|
| A      | 1 and 2      | 900 White British, 100 Pakistani    | 10%             |
| B      | 3            | 200 White British, 200 Pakistani    | 50%             |

Each output area gets its MSOA's mix: Riverside has 800 x 0.9 + 200 x 0.5 = 820 White
British and 80 + 100 = 180 Pakistani residents (82% and 18%). Members who gave their
group: 90 White British and 10 Pakistani (90% and 10%): ratios 0.9 / 0.82 = 1.0976 and
0.1 / 0.18 = 0.5556, so Pakistani (and Asian) alone is below the 0.7 target. 12 more
members did not answer and 3 preferred not to say: 115 members, 100 of whom answered.
The force (Testshire) has no other residents with an MSOA, so its Pakistani share is 18%.
MSOA B has the highest Pakistani share (50%) and 100 of the 180 Pakistani residents, at
least half: "where they live" is output area 3.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from accounts.members.demographics import PREFER_NOT_TO_SAY
from areas.models import Area
from targeting.insight import representativeness
from tests.factories.targeting import give_ethnic_group, make_members, make_msoa

pytestmark = pytest.mark.django_db


@pytest.fixture
def ethnic(population):
    oas = {oa.code: oa for oa in population["riverside"].output_areas.all()}
    make_msoa("E02999901", "Testshire A", [oas["E00999101"], oas["E00999102"]],
              white_british=900, asian_pakistani=100)  # fmt: skip
    make_msoa("E02999902", "Testshire B", [oas["E00999103"]],
              white_british=200, asian_pakistani=200)  # fmt: skip
    return population


def answered(ethnic, *, british=90, pakistani=10, unanswered=12, prefer_not=3) -> None:
    postcodes = ethnic["postcodes"]
    give_ethnic_group(make_members(postcodes["1"], british), "white_british")
    give_ethnic_group(make_members(postcodes["3"], pakistani), "asian_pakistani")
    make_members(postcodes["2"], unanswered)
    give_ethnic_group(make_members(postcodes["2"], prefer_not), PREFER_NOT_TO_SAY)


def figures(area: Area, level: str):
    return representativeness.representation(
        area=area, wards=Area.objects.filter(pk=area.pk), level=level, target=0.7
    )


@pytest.mark.parametrize(
    ("level", "codes"), [("ethnic", ("asian", "white")),
                         ("ethnic_detailed", ("asian_pakistani", "white_british"))],
)  # fmt: skip
def test_coverage_ratios_compare_members_answers_with_the_census_mix_of_their_msoas(
    ethnic, level, codes
):
    answered(ethnic)

    rep = figures(ethnic["riverside"], level)

    asian, white = codes
    rows = {r.group.code: r for r in rep.rows}
    assert list(rows) == [asian, white]  # groups with no residents are not listed
    assert {c: r.population for c, r in rows.items()} == {asian: 180, white: 820}
    assert {c: r.members for c, r in rows.items()} == {asian: 10, white: 90}
    assert rows[asian].members_ratio == pytest.approx(0.1 / 0.18)
    assert rows[white].members_ratio == pytest.approx(0.9 / 0.82)
    assert [r.group.code for r in rep.below_target] == [asian]


def test_members_who_did_not_answer_are_left_out_and_counted_apart(ethnic):
    answered(ethnic)

    rep = figures(ethnic["riverside"], "ethnic")

    assert (rep.members_total, rep.members_all) == (100, 115)


def test_an_answer_whose_consent_was_withdrawn_no_longer_counts(ethnic):
    from accounts.models import ConsentRecord

    answered(ethnic, pakistani=12)
    pakistani = ConsentRecord.objects.filter(
        item="ethnic_group", member__demographics__ethnic_group="asian_pakistani"
    )
    two = list(pakistani.values_list("pk", flat=True)[:2])
    ConsentRecord.objects.filter(pk__in=two).update(withdrawn_at=timezone.now())

    rows = {r.group.code: r for r in figures(ethnic["riverside"], "ethnic").rows}

    assert rows["asian"].members == 10


def test_where_a_group_lives_is_the_output_areas_of_the_msoas_holding_half_of_it(ethnic):
    riverside = ethnic["riverside"]
    group = representativeness.Group("asian_pakistani", "Pakistani", "Asian: Pakistani")

    features = representativeness.group_output_area_features(
        Area.objects.filter(pk=riverside.pk), [group], "ethnic_detailed", area=riverside
    )

    assert [f["properties"]["name"].split(":")[0] for f in features] == ["E00999103"]
    assert representativeness.force_shares(riverside)["asian_pakistani"] == pytest.approx(0.18)


def test_the_page_says_who_answered_and_links_a_set_up_for_the_community(people, ethnic):
    answered(ethnic)
    url = "/staff/insight/representation/?area=E05999901&level=ethnic_detailed"

    html = people.client("district_supervisor").get(url).content.decode()

    # The member of tests/people.py lives here too, without an answer: 116.
    assert "100 of 116 members here gave it" in html
    assert "/staff/setups/new/?community=asian_pakistani&amp;area=E05999901" in html
    assert "Share of residents across the force: Pakistani 18.0%." in html


def test_a_small_group_is_hidden_with_one_more_to_protect_it_in_the_export(people, ethnic):
    answered(ethnic, pakistani=4)
    client = people.client("ward_officer")

    response = client.get("/staff/insight/representation/export.csv?area=E05999901&level=ethnic")

    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    groups = {r[2]: r for r in rows if r[1] == "ethnic"}
    assert groups["asian"][6] == "" and groups["asian"][7] == ""
    assert groups["white"][6] == ""  # else the total less White gives Asian away


def test_another_districts_supervisor_gets_a_404_for_the_ethnic_groups_of_a_ward(people, ethnic):
    url = "/staff/insight/representation/?area=E05999901&level=ethnic"

    assert people.client("other_district_supervisor").get(url).status_code == 404
    assert people.client("ward_officer").get(url).status_code == 200
