"""Who sees a set-up, planning one, and its report's suppressed figures."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from targeting.setups.models import SetUp
from tests.factories.setups import make_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(people, area):
    return make_setup(
        supervisor=people.district_supervisor,
        wards=[area["riverside"]],
        officers=[people.ward_officer],
    )


def test_an_officer_not_assigned_to_the_set_up_gets_not_found(setup, people, area):
    people.other_ward_officer.staff.areas.add(area["riverside"])  # same ward, not assigned
    client = people.client("other_ward_officer")

    answers = [
        client.get(f"/staff/setups/{setup.pk}/").status_code,
        client.get(f"/staff/doorstep/{setup.pk}/").status_code,
        client.get(f"/staff/doorstep/{setup.pk}/street/{area['streets']['high'].pk}/").status_code,
    ]

    assert answers == [404, 404, 404]


def test_a_supervisor_of_another_district_gets_not_found(setup, people):
    client = people.client("other_district_supervisor")

    answers = [
        client.get(f"/staff/setups/{setup.pk}/").status_code,
        client.get(f"/staff/setups/{setup.pk}/review/").status_code,
        client.post(f"/staff/setups/{setup.pk}/status/", {"to": "close"}).status_code,
    ]

    assert answers == [404, 404, 404]
    assert SetUp.objects.get(pk=setup.pk).status == SetUp.Status.OPEN


def test_the_assigned_officer_sees_the_work_list(setup, people):
    html = people.client("ward_officer").get(f"/staff/doorstep/{setup.pk}/").content.decode()

    assert "High Street" in html and "Mill Lane" in html and "Hill Road" not in html


def test_an_officer_switches_between_several_open_set_ups(setup, people, area):
    second = make_setup(
        supervisor=people.district_supervisor, wards=[area["riverside"]],
        officers=[people.ward_officer], name="After the incident",
    )  # fmt: skip

    html = people.client("ward_officer").get("/staff/doorstep/").content.decode()

    assert f"/staff/doorstep/{setup.pk}/" in html and f"/staff/doorstep/{second.pk}/" in html


def _plan(client, **fields):
    today = timezone.localdate()
    data = {
        "name": "Mill Lane and High Street",
        "area_kind": "wards",
        "target": "all",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=14)).isoformat(),
    } | fields
    return client.post("/staff/setups/new/", data)


def test_a_supervisor_plans_a_draft_set_up_for_a_ward_in_scope(people, area):
    response = _plan(
        people.client("district_supervisor"),
        wards=[area["riverside"].pk],
        officers=[people.ward_officer.pk],
    )

    setup = SetUp.objects.get()
    assert response.status_code == 302
    assert setup.status == SetUp.Status.DRAFT and setup.area == area["riverside"]
    assert list(setup.officers.all()) == [people.ward_officer]
    assert {s.street.name for s in setup.setup_streets.all()} == {
        "High Street", "Mill Lane", "Quiet Close",
    }  # fmt: skip


def test_a_ward_outside_the_supervisors_scope_cannot_be_chosen(people, area):
    response = _plan(people.client("other_district_supervisor"), wards=[area["riverside"].pk])

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SetUp.objects.exists()


def test_a_drawn_shape_takes_the_streets_inside_it(people, area):
    # Around High Street (x 100,200, y 101,500) only, in WGS84.
    from django.contrib.gis.geos import Polygon

    box = Polygon.from_bbox((100_100, 101_400, 100_300, 101_600))
    box.srid = 27700
    box.transform(4326)
    shape = '{"type": "Polygon", "coordinates": %s}' % [list(map(list, box.coords[0]))]

    _plan(people.client("district_supervisor"), area_kind="shape", shape=shape)

    setup = SetUp.objects.get()
    assert [s.street.name for s in setup.setup_streets.all()] == ["High Street"]


def test_the_end_date_before_the_start_is_refused_with_what_was_typed(people, area):
    response = _plan(
        people.client("district_supervisor"),
        wards=[area["riverside"].pk],
        ends_on="2020-01-01",
    )

    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert "Mill Lane and High Street" in html


def test_membership_under_ten_is_not_shown_in_the_report(setup, people):
    html = people.client("district_supervisor").get(f"/staff/setups/{setup.pk}/").content.decode()

    # Riverside's streets have no members registered on them: nothing to show, "–".
    assert 'class="hidden-value"' in html


def test_the_planning_form_offers_its_dates_as_the_date_inputs_read_them(people, area):
    html = people.client("district_supervisor").get("/staff/setups/new/").content.decode()

    today = timezone.localdate().isoformat()
    assert f'type="date" name="starts_on" value="{today}"' in html


@pytest.fixture
def group(area):
    """An area-classification supergroup whose subgroup is Riverside's west output area
    (the half holding High Street)."""
    from areas.models import GeodemographicClass, OutputArea

    supergroup = GeodemographicClass.objects.create(
        scheme="oac", level="supergroup", code="9", name="Test supergroup"
    )
    child = GeodemographicClass.objects.create(
        scheme="oac", level="group", code="9a", name="Test group", parent=supergroup
    )
    OutputArea.objects.filter(code="E00999001").update(classification=child)
    return supergroup


def test_a_set_up_for_a_groups_output_areas_takes_the_streets_crossing_them(people, area, group):
    _plan(
        people.client("district_supervisor"),
        wards=[area["riverside"].pk],
        target="group_areas",
        group="9",
    )

    setup = SetUp.objects.get()
    assert setup.group == group
    assert [s.street.name for s in setup.setup_streets.all()] == ["High Street"]


def test_a_groups_output_areas_need_the_group_chosen(people, area):
    response = _plan(
        people.client("district_supervisor"), wards=[area["riverside"].pk], target="group_areas"
    )

    assert "Choose the group whose output areas are to be knocked." in response.content.decode()
    assert not SetUp.objects.exists()


@pytest.fixture
def census_mix(area):
    """Census ethnic group by MSOA for the hand-built area: MSOA X (output area 1, 400 of
    Riverside's residents) is 30% Pakistani, 70% White British; MSOA Y (output areas 2
    and 3, 200 of Riverside's) 2% and 98%. Riverside's Pakistani residents: 120 in X, 4
    in Y, so X (the highest share) alone holds half of them. White British: 196 in Y
    (98%) is less than half of 280 + 196, so X is taken too: a majority group lives
    everywhere."""
    from areas.models import OutputArea
    from tests.factories.targeting import make_msoa

    oas = {oa.code: oa for oa in OutputArea.objects.filter(code__startswith="E00999")}
    make_msoa("E02999001", "Testshire 001", [oas["E00999001"]],
              white_british=700, asian_pakistani=300)  # fmt: skip
    make_msoa("E02999002", "Testshire 002", [oas["E00999002"], oas["E00999003"]],
              white_british=980, asian_pakistani=20)  # fmt: skip
    return area


@pytest.mark.parametrize(
    ("community", "streets"),
    [("asian_pakistani", ["High Street"]), ("asian", ["High Street"]),
     ("white_british", ["High Street", "Mill Lane", "Quiet Close"])],
)  # fmt: skip
def test_a_set_up_for_a_census_community_takes_the_streets_of_the_msoas_where_it_lives(
    people, census_mix, community, streets
):
    _plan(
        people.client("district_supervisor"),
        wards=[census_mix["riverside"].pk],
        target="community",
        community=community,
    )

    setup = SetUp.objects.get()
    assert setup.community == community
    assert sorted(s.street.name for s in setup.setup_streets.all()) == streets


def test_a_census_community_must_be_chosen(people, census_mix):
    response = _plan(
        people.client("district_supervisor"), wards=[census_mix["riverside"].pk],
        target="community",
    )  # fmt: skip

    assert "Choose the community" in response.content.decode()
    assert not SetUp.objects.exists()


def test_the_insights_link_opens_the_plan_for_the_census_community(people, census_mix):
    url = "/staff/setups/new/?community=asian_pakistani&area=E05999901"

    html = people.client("district_supervisor").get(url).content.decode()

    assert 'value="community" id="id_target_4" checked' in html.replace(" required", "")
    assert '<option value="asian_pakistani" selected>Pakistani</option>' in html


def test_the_insights_link_opens_the_plan_for_the_group_in_the_area(people, area, group):
    url = "/staff/setups/new/?group=9&area=E05999901"

    html = people.client("district_supervisor").get(url).content.decode()

    assert 'value="group_areas" id="id_target_3" checked' in html.replace(" required", "")
    assert '<option value="9" selected>9 Test supergroup</option>' in html
    checked = re.findall(r'name="wards" value="(\d+)" id="id_wards_\d+" checked', html)
    assert checked == [str(area["riverside"].pk)]


def test_an_analyst_plans_a_draft_that_only_a_supervisor_opens(people, area):
    analyst = people.client("analyst")

    _plan(analyst, wards=[area["riverside"].pk], officers=[people.ward_officer.pk])

    setup = SetUp.objects.get()
    assert (setup.status, setup.created_by) == (SetUp.Status.DRAFT, people.analyst)
    refused = analyst.post(f"/staff/setups/{setup.pk}/status/", {"to": "open"}).status_code
    assert refused in (403, 404)
    assert SetUp.objects.get(pk=setup.pk).status == SetUp.Status.DRAFT
    people.client("district_supervisor").post(f"/staff/setups/{setup.pk}/status/", {"to": "open"})
    assert SetUp.objects.get(pk=setup.pk).status == SetUp.Status.OPEN
