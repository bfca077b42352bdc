"""The access matrix: every staff URL x everyone in tests/people.py, answer by answer.

The URLs come from the URL conf (as tests/url_audit.py finds them), so a new staff URL
must be added to MATRIX or the first test fails. Objects live in Riverside ward (North
Town). Outside someone's scope the answer is 404, exactly as for something that does not
exist; anonymous visitors are sent to sign in. Then: lists and exports hold exactly the
rows in scope, and no field slipped into a form (ward, role, areas) changes anything.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import get_resolver

from accounts.models import Member, StaffProfile
from accounts.permissions import ACCESS_ATTR
from alerts.audiences import Audience
from alerts.services import message_draft_create
from areas.models import Area
from surveys import editing
from surveys.models import Survey
from targeting.models import ImportJob, Visit
from tests import url_audit
from tests.factories.engagement import engagement_objects
from tests.factories.engagement_events import make_event
from tests.factories.setups import knock, open_setup
from tests.factories.targeting import hand_built_area, make_members, make_postcode
from tests.people import EVERYONE

pytestmark = pytest.mark.django_db

WARD_VIEWERS = {"ward_officer", "district_supervisor", "analyst", "admin"}
DISTRICT_VIEWERS = {"district_supervisor", "analyst", "admin"}
FORCE_VIEWERS = {"analyst", "admin"}
CONTACT_VIEWERS = {"ward_officer", "district_supervisor"}
STAFF = set(EVERYONE) - {"anonymous", "member"}
ADMINS = {"other_district_admin", "admin"}
# Force-wide settings (the quarterly survey, scoring weights): the force's admins only.
FORCE_ADMINS = {"admin"}
SENDERS = {
    "ward_officer",
    "other_ward_officer",
    "district_supervisor",
    "other_district_supervisor",
}
MESSAGE_VIEWERS = {"ward_officer", "district_supervisor"}
SUPERVISORS = {"district_supervisor", "other_district_supervisor"}
DOORSTEP = {
    "ward_officer",
    "other_ward_officer",
    "district_supervisor",
    "other_district_supervisor",
}


def expect(allowed: set[str], status: int = 200) -> dict[str, int]:
    """``status`` for the people allowed, 404 for other staff and members, sign-in for
    anonymous visitors."""
    return {
        who: 302 if who == "anonymous" else status if who in allowed else 404 for who in EVERYONE
    }


# route name -> (URL from the objects, expected status per person). POST-only routes are
# opened with GET: 405 for whoever passes the role check, 404 for anyone else.
MATRIX = {
    "staff_home": (lambda o: "/staff/", expect(STAFF)),
    "staff_list": (lambda o: "/staff/manage/", expect(ADMINS)),
    "staff_create": (lambda o: "/staff/manage/new/", expect(ADMINS)),
    "staff_edit": (lambda o: f"/staff/manage/{o['officer_profile']}/", expect({"admin"})),
    "staff_deactivate": (
        lambda o: f"/staff/manage/{o['officer_profile']}/deactivate/",
        expect(ADMINS, 405),
    ),
    "doorstep_register": (lambda o: "/staff/members/register/", expect(DOORSTEP)),
    "area_detail": (lambda o: "/staff/areas/E05999901/", expect(WARD_VIEWERS)),
    "surveys_results": (lambda o: "/staff/surveys/?area=E05999901", expect(WARD_VIEWERS)),
    "surveys_export": (lambda o: "/staff/surveys/export.csv?area=E05999901", expect(WARD_VIEWERS)),
    "surveys_comments": (lambda o: "/staff/surveys/comments/E05999901/", expect(WARD_VIEWERS)),
    "surveys_templates": (lambda o: "/staff/surveys/templates/", expect(FORCE_ADMINS)),
    "surveys_version": (lambda o: f"/staff/surveys/versions/{o['draft']}/", expect(FORCE_ADMINS)),
    "surveys_question_new": (
        lambda o: f"/staff/surveys/versions/{o['draft']}/questions/new/",
        expect(FORCE_ADMINS),
    ),
    "surveys_publish": (
        lambda o: f"/staff/surveys/versions/{o['draft']}/publish/",
        expect(FORCE_ADMINS, 405),
    ),
    "surveys_question": (
        lambda o: f"/staff/surveys/questions/{o['question']}/",
        expect(FORCE_ADMINS),
    ),
    "surveys_question_delete": (
        lambda o: f"/staff/surveys/questions/{o['question']}/delete/",
        expect(FORCE_ADMINS, 405),
    ),
    "surveys_draft": (lambda o: f"/staff/surveys/{o['survey']}/draft/", expect(FORCE_ADMINS, 405)),
    "surveys_activate": (
        lambda o: f"/staff/surveys/{o['survey']}/activate/",
        expect(FORCE_ADMINS, 405),
    ),
    "targeting_home": (lambda o: "/staff/priorities/", expect(STAFF)),
    "targeting_area": (lambda o: "/staff/priorities/area/E05999901/", expect(WARD_VIEWERS)),
    "targeting_contacts": (
        lambda o: "/staff/priorities/area/E05999901/contacts/",
        expect(CONTACT_VIEWERS),
    ),
    "targeting_street": (
        lambda o: f"/staff/priorities/street/{o['street']}/",
        expect(WARD_VIEWERS),
    ),
    "targeting_imports": (lambda o: "/staff/priorities/imports/", expect(ADMINS)),
    "targeting_import_job": (
        lambda o: f"/staff/priorities/imports/{o['job']}/",
        expect({"admin"}),
    ),
    "targeting_weights": (lambda o: "/staff/priorities/weights/", expect(FORCE_ADMINS)),
    # dataadmin: an upload page per kind of data, a job's progress as JSON, data status
    "targeting_import_kind": (lambda o: "/staff/priorities/imports/acorn/", expect(ADMINS)),
    "targeting_import_job_progress": (
        lambda o: f"/staff/priorities/imports/{o['job']}/progress.json",
        expect({"admin"}),
    ),
    "targeting_data_status": (
        lambda o: "/staff/priorities/data/",
        expect(ADMINS | {"analyst"}),
    ),
    "alerts_messages": (lambda o: "/staff/messages/", expect(SENDERS)),
    "alerts_message_new": (lambda o: "/staff/messages/new/", expect(SENDERS)),
    "alerts_settings": (lambda o: "/staff/messages/settings/", expect(FORCE_ADMINS)),
    "alerts_engagement": (
        lambda o: "/staff/messages/engagement/E05999901/",
        expect(MESSAGE_VIEWERS),
    ),
    "alerts_message_preview": (
        lambda o: f"/staff/messages/{o['message']}/",
        expect(MESSAGE_VIEWERS),
    ),
    "alerts_message_edit": (
        lambda o: f"/staff/messages/{o['message']}/edit/",
        expect({"ward_officer"}),
    ),
    "alerts_message_send": (
        lambda o: f"/staff/messages/{o['message']}/send/",
        expect(SENDERS, 405),
    ),
    "alerts_message_recipients": (
        lambda o: f"/staff/messages/{o['message']}/recipients/",
        expect(MESSAGE_VIEWERS),
    ),
    # insight: representativeness, confidence, coverage, engagement; events and contacts.
    **{
        name: (lambda o, url=url: f"/staff/insight/{url}?area=E05999901", expect(WARD_VIEWERS))
        for name, url in (
            ("insight_representation", "representation/"),
            ("insight_representation_export", "representation/export.csv"),
            ("insight_confidence", "confidence/"),
            ("insight_confidence_export", "confidence/export.csv"),
            ("insight_households", "households/"),
            ("insight_households_export", "households/export.csv"),
            ("insight_engagement", "engagement/"),
            ("insight_engagement_export", "engagement/export.csv"),
        )
    },
    "insight_settings": (lambda o: "/staff/insight/settings/", expect(FORCE_ADMINS)),
    "insight_briefing": (
        lambda o: "/staff/insight/briefing/",
        expect({"ward_officer", "other_ward_officer"}),
    ),
    "engagement_events": (lambda o: "/staff/events/", expect(DOORSTEP)),
    "engagement_event_new": (lambda o: "/staff/events/new/", expect(DOORSTEP)),
    "engagement_contact_new": (lambda o: "/staff/contacts/new/", expect(DOORSTEP)),
    "engagement_event": (lambda o: f"/staff/events/{o['event']}/", expect(WARD_VIEWERS)),
    "engagement_event_outcome": (
        lambda o: f"/staff/events/{o['event']}/outcome/",
        expect(CONTACT_VIEWERS),
    ),
    # engagement: "You said, we did" items, ward teams, the reply inbox (all in Riverside).
    "engagement_items": (lambda o: "/staff/said-did/", expect(SENDERS)),
    "engagement_item_new": (lambda o: "/staff/said-did/new/", expect(SENDERS)),
    "engagement_item": (lambda o: f"/staff/said-did/{o['item']}/", expect(MESSAGE_VIEWERS)),
    "engagement_item_edit": (
        lambda o: f"/staff/said-did/{o['item']}/edit/",
        expect(MESSAGE_VIEWERS),
    ),
    "engagement_item_move": (
        lambda o: f"/staff/said-did/{o['item']}/status/",
        expect(SENDERS, 405),
    ),
    "engagement_item_send": (
        lambda o: f"/staff/said-did/{o['item']}/send/",
        expect(SENDERS, 405),
    ),
    "engagement_ward_team": (
        lambda o: "/staff/teams/ward/E05999901/",
        expect(MESSAGE_VIEWERS),
    ),
    "engagement_team_member_add": (
        lambda o: "/staff/teams/ward/E05999901/members/",
        expect(SENDERS, 405),
    ),
    "engagement_team_member_remove": (
        lambda o: f"/staff/teams/ward/E05999901/members/{o['membership']}/remove/",
        expect(SENDERS, 405),
    ),
    "engagement_profile": (lambda o: "/staff/teams/profile/", expect(SENDERS)),
    "engagement_inbox": (lambda o: "/staff/inbox/", expect(SENDERS)),
    "engagement_team_inbox": (
        lambda o: f"/staff/inbox/team/{o['team']}/",
        expect(MESSAGE_VIEWERS),
    ),
    "engagement_inbox_entry": (
        lambda o: f"/staff/inbox/reply/{o['inbox_entry']}/",
        expect(MESSAGE_VIEWERS),
    ),
    "engagement_inbox_assign": (
        lambda o: f"/staff/inbox/reply/{o['inbox_entry']}/assign/",
        expect(SENDERS, 405),
    ),
    "engagement_inbox_handle": (
        lambda o: f"/staff/inbox/reply/{o['inbox_entry']}/handled/",
        expect(SENDERS, 405),
    ),
    "engagement_inbox_answer": (
        lambda o: f"/staff/inbox/reply/{o['inbox_entry']}/answer/",
        expect(SENDERS, 405),
    ),
    "engagement_trigger_words": (lambda o: "/staff/inbox/trigger-words/", expect(ADMINS)),
    "engagement_trigger_word_delete": (
        lambda o: f"/staff/inbox/trigger-words/{o['trigger_word']}/delete/",
        expect(ADMINS, 405),
    ),
    # setups: targeted set-ups (assigned to ward_officer, in Riverside) and the doorstep.
    "setup_list": (lambda o: "/staff/setups/", expect(STAFF)),
    "setup_create": (lambda o: "/staff/setups/new/", expect(SUPERVISORS | {"analyst"})),
    "setup_detail": (lambda o: f"/staff/setups/{o['setup']}/", expect(WARD_VIEWERS)),
    "setup_officers": (
        lambda o: f"/staff/setups/{o['setup']}/officers/",
        expect(SUPERVISORS, 405),
    ),
    "setup_status": (lambda o: f"/staff/setups/{o['setup']}/status/", expect(SUPERVISORS, 405)),
    "setup_delete": (lambda o: f"/staff/setups/{o['setup']}/delete/", expect(SUPERVISORS, 405)),
    "setup_review": (
        lambda o: f"/staff/setups/{o['setup']}/review/",
        expect({"district_supervisor"}),
    ),
    "setup_export": (lambda o: f"/staff/setups/{o['setup']}/visits.csv", expect(DISTRICT_VIEWERS)),
    "doorstep_home": (lambda o: "/staff/doorstep/", expect(DOORSTEP)),
    "doorstep_setup": (lambda o: f"/staff/doorstep/{o['setup']}/", expect({"ward_officer"})),
    "doorstep_street": (
        lambda o: f"/staff/doorstep/{o['setup']}/street/{o['street']}/",
        expect({"ward_officer"}),
    ),
    "doorstep_survey": (
        lambda o: f"/staff/doorstep/{o['setup']}/visits/{o['survey_visit']}/survey/",
        expect({"ward_officer"}),
    ),
}
# Pages of areas above a ward: the district and the force.
AREA_LEVELS = {
    "/staff/priorities/area/E06999901/": expect(DISTRICT_VIEWERS),
    "/staff/priorities/area/E23999999/": expect(FORCE_VIEWERS),
    "/staff/areas/E06999901/": expect(DISTRICT_VIEWERS),
    "/staff/surveys/?area=E06999901": expect(DISTRICT_VIEWERS),
    "/staff/surveys/comments/E06999901/": expect(DISTRICT_VIEWERS),
    "/staff/messages/engagement/E06999901/": expect({"district_supervisor"}),
    # insight: district and force pages.
    "/staff/insight/representation/?area=E06999901": expect(DISTRICT_VIEWERS),
    "/staff/insight/representation/?area=E06999901&level=ethnic": expect(DISTRICT_VIEWERS),
    "/staff/insight/confidence/?area=E06999901": expect(DISTRICT_VIEWERS),
    "/staff/insight/households/?area=E23999999": expect(FORCE_VIEWERS),
    "/staff/insight/engagement/?area=E06999901": expect(DISTRICT_VIEWERS),
}


def staff_routes() -> set[str]:
    """Every named route whose view is marked for staff."""
    return {
        r.name
        for r in url_audit.routes(get_resolver().url_patterns)
        if str(getattr(r.callback, ACCESS_ATTR, "")).startswith("staff")
    }


@pytest.fixture
def objects(people, tiny_force):
    area = hand_built_area(tiny_force)
    survey = Survey.objects.get(is_active=True)
    draft = editing.version_draft(survey=survey, user=people.admin)
    setup = open_setup(people, tiny_force["riverside"])
    return {
        "area": area,
        "street": area["streets"]["high"].pk,
        "officer_profile": people.ward_officer.staff.pk,
        "job": ImportJob.objects.create(created_by=people.admin).pk,
        "survey": survey.pk,
        "draft": draft.pk,
        "question": draft.questions.first().pk,
        "message": message_draft_create(
            sender=people.ward_officer,
            subject="Bike thefts",
            bodies={"general": "We patrolled the station."},
            priorities=[],
            audience=Audience.for_area(tiny_force["riverside"]),
        ).pk,
        # engagement: an item, the Riverside team, a reply in its inbox, a trigger word.
        **engagement_objects(people, tiny_force),
        "setup": setup.pk,
        "survey_visit": knock(
            setup, area["streets"]["high"], people.ward_officer, "1", Visit.Outcome.SURVEY
        ).key,
        "event": make_event(people.ward_officer, tiny_force["riverside"]).pk,  # insight
    }


def test_every_staff_url_is_in_the_matrix():
    assert staff_routes() == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_person_gets_the_expected_answer(people, objects, name):
    url_for, expected = MATRIX[name]
    url = url_for(objects)

    got = {who: people.client(who).get(url).status_code for who in EVERYONE}

    assert got == expected, url


@pytest.mark.parametrize("url", sorted(AREA_LEVELS))
def test_district_and_force_pages_are_for_those_whose_scope_holds_them(people, objects, url):
    got = {who: people.client(who).get(url).status_code for who in EVERYONE}

    assert got == AREA_LEVELS[url]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_staff_url(people, objects):
    client = people.client("anonymous")
    for name, (url_for, _expected) in MATRIX.items():
        response = client.get(url_for(objects))
        assert response["Location"].startswith("/accounts/login/?next="), name


# --- Lists and exports hold exactly the rows in scope ----------------------------------------


def test_key_contacts_list_exactly_the_wards_contacts(people, objects):
    area = objects["area"]
    here = make_postcode("ZZ9 1AB", area["riverside"], 100_450, 101_450)
    there = make_postcode("ZZ9 2AB", area["hillside"], 101_450, 101_450)
    mine = make_members(here, 2, key_contact=True)
    others = make_members(there, 2, key_contact=True)

    page = people.client("ward_officer").get("/staff/priorities/area/E05999901/contacts/")

    html = page.content.decode()
    assert all(m.user.email in html for m in mine)
    assert not any(m.user.email in html for m in others)
    assert html.count('class="card"') == len(mine)


def test_the_staff_list_holds_exactly_the_staff_in_the_admins_areas(people, objects):
    north = people.client("other_district_admin").get("/staff/manage/").content.decode()
    everyone = people.client("admin").get("/staff/manage/").content.decode()

    assert "carol.supervisor@example.test" in north and "frank.admin@example.test" in north
    for outside in ("alice.officer", "bob.officer", "dana.supervisor", "erin.analyst", "grace"):
        assert outside not in north
    for email in StaffProfile.objects.values_list("user__email", flat=True):
        assert email in everyone


def test_my_wards_ranked_lists_only_the_wards_in_scope(people, objects):
    from targeting.scoring import compute_scores

    compute_scores(forces=[objects["area"]["force"]])
    alice = people.client("ward_officer").get("/staff/priorities/").content.decode()
    carol = people.client("other_district_supervisor").get("/staff/priorities/").content.decode()

    assert "Riverside" in alice and "Hillside" not in alice
    assert "Riverside" not in carol and "Hillside" not in carol


def test_the_survey_export_holds_only_areas_in_scope(people, objects):
    response = people.client("district_supervisor").get("/staff/surveys/export.csv")
    other = people.client("other_district_supervisor").get(
        "/staff/surveys/export.csv?area=E06999901"
    )

    codes = {row[1] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert codes - {"code"} <= {"E06999901", "E05999901", "E05999902"}
    assert other.status_code == 404


def test_import_jobs_list_only_the_jobs_in_the_admins_areas(people, objects):
    south = people.client("other_district_admin").get("/staff/priorities/imports/")

    assert f"/staff/priorities/imports/{objects['job']}/" not in south.content.decode()


# --- No field slipped into a form changes anything ---------------------------------------------


def test_an_admin_cannot_give_areas_outside_their_own(people, objects):
    client = people.client("other_district_admin")
    riverside = Area.objects.get(code="E05999901")

    response = client.post(
        "/staff/manage/new/",
        {"email": "new@example.test", "name": "New", "role": "officer", "areas": [riverside.pk]},
    )

    assert response.status_code == 200
    assert not StaffProfile.objects.filter(user__email="new@example.test").exists()


def test_an_admin_cannot_edit_staff_outside_their_areas_by_posting(people, objects):
    client = people.client("other_district_admin")
    docks = Area.objects.get(code="E05999903")

    response = client.post(
        f"/staff/manage/{objects['officer_profile']}/",
        {"name": "Taken", "role": "admin", "areas": [docks.pk]},
    )

    profile = StaffProfile.objects.get(pk=objects["officer_profile"])
    assert response.status_code == 404
    assert (profile.role, list(profile.areas.values_list("code", flat=True))) == (
        "officer",
        ["E05999901"],
    )


def test_an_edit_cannot_change_the_staff_members_email(people, objects):
    client = people.client("admin")
    riverside = Area.objects.get(code="E05999901")

    client.post(
        f"/staff/manage/{objects['officer_profile']}/",
        {
            "email": "hijacked@example.test",
            "name": "Alice",
            "role": "officer",
            "areas": [riverside.pk],
        },
    )

    assert StaffProfile.objects.get(pk=objects["officer_profile"]).user.email == (
        "alice.officer@example.test"
    )


def test_a_member_cannot_move_ward_or_become_staff_by_adding_fields(people, objects):
    client = people.client("member")
    hillside = Area.objects.get(code="E05999902")
    member = Member.objects.get(user=people.member)

    client.post(
        "/my-account/details/",
        {
            "name": "Pat",
            "by_email": "on",
            "max_frequency": "any",
            "language": "en-gb",
            "ward": hillside.pk,
            "role": "admin",
            "areas": [hillside.pk],
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.ward.code == "E05999901"
    assert not StaffProfile.objects.filter(user=member.user).exists()
    assert not (member.user.is_staff or member.user.is_superuser)


# hardening: a district's admin changes nothing that holds for the whole force ----------------


def weights_post(*, weight_harm: float) -> dict:
    """The weights page's form as a browser would post it, with a new harm weight."""
    from targeting.forms import ScoringSettingsForm
    from targeting.models import CrimeCategory, ScoringSettings

    settings = ScoringSettings.load()
    data = {f"score-{name}": getattr(settings, name) for name in ScoringSettingsForm.Meta.fields}
    data["score-weight_harm"] = weight_harm
    categories = list(CrimeCategory.objects.all())
    data |= {"harm-TOTAL_FORMS": len(categories), "harm-INITIAL_FORMS": len(categories)}
    for index, category in enumerate(categories):
        data[f"harm-{index}-id"] = category.pk
        data[f"harm-{index}-harm_weight"] = category.harm_weight
    return data


def test_a_district_admin_cannot_change_the_scoring_weights_by_posting(people, objects):
    from targeting.models import ScoringSettings

    before = ScoringSettings.load().weight_harm
    data = weights_post(weight_harm=before + 1)

    refused = people.client("other_district_admin").post("/staff/priorities/weights/", data)
    assert refused.status_code == 404
    assert ScoringSettings.load().weight_harm == before

    saved = people.client("admin").post("/staff/priorities/weights/", data)
    assert saved.status_code == 302  # the same form from the force's admin is saved
    assert ScoringSettings.load().weight_harm == before + 1


def test_a_district_admin_cannot_activate_or_draft_the_force_survey(people, objects):
    client = people.client("other_district_admin")
    versions = Survey.objects.get(pk=objects["survey"]).versions.count()

    assert client.post(f"/staff/surveys/{objects['survey']}/draft/").status_code == 404
    assert client.post(f"/staff/surveys/versions/{objects['draft']}/publish/").status_code == 404
    assert Survey.objects.get(pk=objects["survey"]).versions.count() == versions
    assert Survey.objects.get(pk=objects["survey"]).versions.get(pk=objects["draft"]).is_draft


def test_links_to_force_wide_settings_are_shown_only_to_the_forces_admins(people, objects):
    district = people.client("other_district_admin").get("/staff/priorities/imports/")
    force = people.client("admin").get("/staff/priorities/imports/")

    assert "/staff/priorities/weights/" not in district.content.decode()
    assert "/staff/surveys/templates/" not in district.content.decode()
    assert "/staff/priorities/weights/" in force.content.decode()
    assert "/staff/surveys/templates/" in force.content.decode()
