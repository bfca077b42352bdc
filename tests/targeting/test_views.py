"""Priority pages: what each viewer sees, and that outside their scope is a 404."""

from __future__ import annotations

import re

import pytest
from django.core import signing

from accounts.models import AccessLog, CommunityGroup
from targeting.models import CrimeCategory, ScoringSettings
from targeting.scoring import compute_scores
from targeting.views import SHARE_SALT
from tests.factories import make_staff
from tests.factories.targeting import make_members, make_postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(area):
    compute_scores(forces=[area["force"]])
    return area


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def ward_url(area, key="riverside"):
    return f"/staff/priorities/area/{area[key].code}/"


def street_url(area, key="high"):
    return f"/staff/priorities/street/{area['streets'][key].pk}/"


def contacts_url(area, key="riverside"):
    return f"/staff/priorities/area/{area[key].code}/contacts/"


# --- Scope: the officer of the ward, an officer of another ward, a supervisor elsewhere ----

SCOPED_PAGES = [ward_url, street_url, contacts_url]


@pytest.mark.parametrize("page", SCOPED_PAGES)
def test_the_officer_of_the_ward_sees_the_page(client, officer, scored, page):
    assert get(client, officer, page(scored)).status_code == 200


@pytest.mark.parametrize("page", SCOPED_PAGES)
def test_an_officer_of_another_ward_gets_404(client, other_officer, scored, page):
    assert get(client, other_officer, page(scored)).status_code == 404


@pytest.mark.parametrize("page", SCOPED_PAGES)
def test_a_supervisor_of_another_district_gets_404(client, other_supervisor, scored, page):
    assert get(client, other_supervisor, page(scored)).status_code == 404


@pytest.mark.parametrize("page", [ward_url, street_url])
def test_the_supervisor_of_the_district_sees_its_ward_pages(client, supervisor, scored, page):
    assert get(client, supervisor, page(scored)).status_code == 200


def test_the_district_page_is_for_its_supervisor_only(
    client, officer, supervisor, other_supervisor, scored
):
    url = ward_url(scored, "north")

    assert get(client, supervisor, url).status_code == 200
    assert get(client, other_supervisor, url).status_code == 404
    assert get(client, officer, url).status_code == 404


def test_the_force_page_is_for_force_wide_staff(client, supervisor, scored):
    analyst = make_staff("analyst@example.test", "analyst", [scored["force"]])
    url = ward_url(scored, "force")

    assert get(client, analyst, url).status_code == 200
    assert get(client, supervisor, url).status_code == 404


def test_a_forbidden_ward_and_an_unknown_one_look_the_same(client, other_officer, scored):
    forbidden = get(client, other_officer, ward_url(scored))
    missing = client.get("/staff/priorities/area/E05000000/")

    main = re.compile(r"<main.*</main>", re.S)
    assert forbidden.status_code == missing.status_code == 404
    assert main.search(forbidden.content.decode()).group(0) == main.search(
        missing.content.decode()
    ).group(0)


# --- My wards ranked --------------------------------------------------------------------------


def test_my_wards_ranked_lists_only_the_officers_wards(client, officer, other_officer, scored):
    mine = get(client, officer, "/staff/priorities/").content.decode()
    theirs = get(client, other_officer, "/staff/priorities/").content.decode()

    assert "Riverside" in mine and "Hillside" not in mine
    assert "Hillside" in theirs and "Riverside" not in theirs
    assert "High Street" in mine  # the ward's top street


def test_a_supervisor_sees_the_districts_wards_ranked_with_a_link_to_the_district(
    client, supervisor, scored
):
    page = get(client, supervisor, "/staff/priorities/").content.decode()

    assert page.index("Riverside") < page.index("Hillside")
    assert 'href="/staff/priorities/area/E06999901/"' in page


def test_without_crime_data_the_page_says_so(client, officer, tiny_force):
    page = get(client, officer, "/staff/priorities/").content.decode()

    assert "No scores yet" in page


# --- The ward page ----------------------------------------------------------------------------


def test_the_ward_page_ranks_its_streets_with_reasons_and_actions(client, officer, scored):
    page = get(client, officer, ward_url(scored)).content.decode()
    page = page[page.index('id="streets-h"') :]

    assert page.index("High Street") < page.index("Mill Lane") < page.index("Quiet Close")
    assert "ASB 5.0 times its usual level" in page
    assert "Door-knock to register" in page
    assert "Hill Road" not in page  # another ward's street


def test_the_ward_map_draws_only_the_wards_streets_coloured_by_score(client, officer, scored):
    page = get(client, officer, ward_url(scored)).content.decode()

    assert 'class="map"' in page
    assert "new L.CircleMarker" in page
    assert '"name": "High Street"' in page
    assert '"name": "Hill Road"' not in page
    assert "#bd0026" in page or "#f03b20" in page  # High Street scores 75: the 60-79 band


def test_the_ward_map_is_centred_on_the_ward_not_on_humberside(client, officer, scored):
    page = get(client, officer, ward_url(scored)).content.decode()

    lat, lon = map(float, re.search(r"center: \[([-\d.]+), ([-\d.]+)\]", page).groups())
    west, south, east, north = scored["riverside"].boundary_simple.extent
    assert south <= lat <= north and west <= lon <= east
    assert "53.74" not in page


def test_the_ward_page_shows_crime_by_type_and_month_and_coverage(client, officer, scored):
    page = get(client, officer, ward_url(scored)).content.decode()

    assert "Crime by type and month" in page
    assert "Anti-social behaviour" in page and "Mar 24" in page
    assert "Members and household coverage" in page
    assert ">12</dd>" in page  # 4 + 8 members in Riverside


def test_the_ward_page_shows_residents_priorities_when_there_are_enough(
    client, officer, surveyed_area
):
    compute_scores(forces=[surveyed_area["force"]])

    page = get(client, officer, ward_url(surveyed_area)).content.decode()

    assert "Residents&#x27; top priorities" in page or "Residents' top priorities" in page
    assert "Anti-social behaviour" in page
    assert "From 10 survey respondents in" in page
    assert "Trust (1 to 5)" in page and "2.0" in page


def test_the_ward_page_is_light(client, officer, scored):
    response = get(client, officer, ward_url(scored))

    assert len(response.content) < 500_000


def test_an_earlier_month_can_be_chosen(client, officer, scored):
    page = get(client, officer, ward_url(scored), period="2024-01").content.decode()

    assert '<option value="2024-01" selected>' in page


# --- Street page ------------------------------------------------------------------------------


def test_the_street_page_explains_each_component_in_plain_words(client, officer, scored):
    page = get(client, officer, street_url(scored)).content.decode()

    for label in ("Harm", "Trend", "Public concern", "Confidence gap", "Vulnerability"):
        assert label in page
    assert "12 crimes in March 2024 against 2 a month in the 2 months before." in page
    assert "decile 1 of the English Indices of Deprivation 2019" in page
    assert "left out of the score" in page  # no survey responses in this fixture


def test_the_street_page_charts_its_history_with_a_table(client, officer, scored):
    page = get(client, officer, street_url(scored)).content.decode()

    assert '<svg class="chart"' in page and 'role="img"' in page
    assert page.count("<rect ") == 3  # January to March
    assert "Score by month" in page
    assert "style=" not in page.split('<main id="main"', 1)[1].split("<script", 1)[0]


# --- Shared links -----------------------------------------------------------------------------


def test_a_shared_link_opens_the_same_view_for_a_colleague_in_scope(client, officer, scored):
    first = get(client, officer, ward_url(scored), period="2024-02", top="25")
    link = re.search(r'id="share-url" value="([^"]+)"', first.content.decode()).group(1)
    colleague = make_staff("colleague@example.test", "officer", [scored["riverside"]])

    page = get(client, colleague, link.replace("http://testserver", "")).content.decode()

    assert '<option value="2024-02" selected>' in page
    assert '<option value="25" selected>' in page


def test_a_shared_link_is_still_404_outside_the_viewers_scope(client, other_officer, scored):
    state = signing.dumps({"period": "2024-02", "top": 10}, salt=SHARE_SALT)

    assert get(client, other_officer, ward_url(scored), state=state).status_code == 404


def test_a_tampered_shared_link_falls_back_to_the_latest_month(client, officer, scored):
    page = get(client, officer, ward_url(scored), state="forged:state").content.decode()

    assert "That shared link was damaged" in page
    assert '<option value="2024-03" selected>' in page


# --- Key contacts -----------------------------------------------------------------------------


def test_key_contacts_are_shown_and_each_showing_is_in_the_access_log(client, officer, scored):
    postcode = make_postcode("ZZ1 9ZZ", scored["riverside"], 100_300, 101_300)
    volunteer = make_members(postcode, 1, key_contact=True)[0]
    advisory = make_members(postcode, 1, groups=CommunityGroup.objects.filter(is_advisory=True))[0]
    make_members(postcode, 1)  # neither

    page = get(client, officer, contacts_url(scored)).content.decode()

    assert volunteer.user.email in page and advisory.user.email in page
    assert page.count('class="card"') == 2
    logged = AccessLog.objects.filter(actor=officer, subject_kind="member")
    assert set(logged.values_list("subject_user_id", flat=True)) == {
        volunteer.user_id,
        advisory.user_id,
    }
    assert logged.first().view == "targeting_contacts"


def test_the_ward_page_counts_key_contacts_without_showing_their_details(client, officer, scored):
    postcode = make_postcode("ZZ1 9ZY", scored["riverside"], 100_300, 101_300)
    contact = make_members(postcode, 1, key_contact=True)[0]

    page = get(client, officer, ward_url(scored)).content.decode()

    assert "1 member has agreed to be a key contact" in page
    assert contact.user.email not in page
    assert not AccessLog.objects.exists()


def test_key_contacts_of_a_district_are_not_a_page(client, supervisor, scored):
    assert get(client, supervisor, contacts_url(scored, "north")).status_code == 404


# --- Admin pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/staff/priorities/imports/", "/staff/priorities/weights/"])
def test_admin_pages_are_for_admins_only(client, officer, supervisor, admin_user, tiny_force, url):
    assert get(client, admin_user, url).status_code == 200
    assert get(client, supervisor, url).status_code == 404
    assert get(client, officer, url).status_code == 404


def test_an_admin_changes_a_harm_weight_and_the_latest_month_is_scored_again(
    client, admin_user, scored, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page = client.get("/staff/priorities/weights/").content.decode()
    data = {
        name: value
        for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken"
    }
    burglary = CrimeCategory.objects.get(slug="burglary")
    index = list(CrimeCategory.objects.values_list("pk", flat=True)).index(burglary.pk)
    data[f"harm-{index}-harm_weight"] = "12.5"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/staff/priorities/weights/", data)

    assert response.status_code == 302
    assert CrimeCategory.objects.get(slug="burglary").harm_weight == 12.5
    assert len(callbacks) == 1  # the latest month, scored again


def test_all_component_weights_at_zero_are_refused(client, admin_user, scored):
    client.force_login(admin_user)
    page = client.get("/staff/priorities/weights/").content.decode()
    data = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page))
    for key in list(data):
        if key.startswith("score-weight_"):
            data[key] = "0"

    response = client.post("/staff/priorities/weights/", data)

    assert response.status_code == 200
    assert "At least one component needs a weight above 0." in response.content.decode()
    assert ScoringSettings.load().weight_harm == 0.35


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_admins_see_how_many_key_contacts_but_not_who(client, scored, role):
    postcode = make_postcode("ZZ1 9ZX", scored["riverside"], 100_300, 101_300)
    contact = make_members(postcode, 1, key_contact=True)[0]
    viewer = make_staff(f"{role}@force.example.test", role, [scored["force"]])

    ward_page = get(client, viewer, ward_url(scored)).content.decode()
    contacts = get(client, viewer, contacts_url(scored))

    assert "1 member has agreed to be a key contact" in ward_page
    assert contacts_url(scored) not in ward_page
    assert contacts.status_code == 404
    assert contact.user.email not in contacts.content.decode()
    assert not AccessLog.objects.exists()


def test_the_supervisor_of_the_district_sees_the_wards_key_contacts(client, supervisor, scored):
    postcode = make_postcode("ZZ1 9ZW", scored["riverside"], 100_300, 101_300)
    contact = make_members(postcode, 1, key_contact=True)[0]

    page = get(client, supervisor, contacts_url(scored)).content.decode()

    assert contact.user.email in page
