"""Property: no displayed result breaks the small-number rule, for any area and filter.

Hypothesis builds random survey answers across the tiny force's wards and streets and
two quarters; every result the pages and the CSV export would show is then checked
against the true counts: a count is shown only when it is at least 10, a mean only
when at least 10 people answered, a share only when both its counts are at least 10.
And wherever a total is shown with its parts (on a page or in the CSV), no hidden part
can be worked out by subtracting the parts shown from the total.
"""

import csv
import io
from collections import Counter, defaultdict

import pytest
from django.contrib.gis.geos import Point
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas.models import Street
from core.disclosure import threshold
from surveys import export
from surveys.models import quarter_label
from surveys.published import Published
from surveys.results import results_for
from tests.factories.surveys import bulk_responses, round_at

pytestmark = pytest.mark.django_db

SLUGS = ["drugs", "burglary", "speeding-road-safety"]

group = st.fixed_dictionaries(
    {
        "ward": st.sampled_from(["riverside", "hillside", "docks"]),
        "street": st.sampled_from([None, 0, 1]),
        "quarter": st.sampled_from([0, 1]),
        "count": st.integers(min_value=1, max_value=14),
        "answered": st.booleans(),
        "submitted": st.booleans(),
        "trust": st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
        "priorities": st.lists(st.sampled_from(SLUGS), unique=True, max_size=3),
        "concerns": st.lists(st.sampled_from(SLUGS), unique=True, max_size=3),
    }
)


def check(published: Published, truth: dict, *, whole: bool = True) -> None:
    """``whole``: an area's own total, hidden only when small; a part of a table may
    also be hidden when 10 or more (complementary suppression)."""
    for shown in published.shown_counts():
        assert shown >= threshold()
    for column in ("invitations", "respondents"):
        if getattr(published, column) is not None:
            assert getattr(published, column) == truth[column] >= threshold()
        elif whole:
            assert truth[column] < threshold()
    if published.response_rate is not None:
        assert truth["respondents"] >= threshold() and truth["invitations"] >= threshold()
    trust = published.means["trust"]
    if trust.shown:
        assert truth["trust"] >= threshold()
    elif whole:
        assert truth["trust"] < threshold()
    if trust.change is not None:
        assert truth["trust"] >= threshold() and truth["trust_before"] >= threshold()
    for share in published.priorities:
        if share.shown:
            assert truth["ranked"][share.slug] >= threshold()
            assert truth["ranked_answered"] >= threshold()
    for share in published.concerns:
        if share.shown:
            assert truth["concerned"][share.slug] >= threshold()
            assert truth["concerns_answered"] >= threshold()


def truth_for(groups, keep, quarter) -> dict:
    t = {"invitations": 0, "respondents": 0, "trust": 0, "trust_before": 0,
         "ranked": Counter(), "concerned": Counter(), "ranked_answered": 0,
         "concerns_answered": 0}  # fmt: skip
    for g in groups:
        if not keep(g):
            continue
        if g["quarter"] == quarter - 1 and g["answered"] and g["submitted"] and g["trust"]:
            t["trust_before"] += g["count"]
        if g["quarter"] != quarter:
            continue
        t["invitations"] += g["count"]
        if not (g["answered"] and g["submitted"]):
            continue
        t["respondents"] += g["count"]
        t["trust"] += g["count"] if g["trust"] else 0
        if g["priorities"]:
            t["ranked_answered"] += g["count"]
            for slug in g["priorities"]:
                t["ranked"][slug] += g["count"]
        if g["concerns"]:
            t["concerns_answered"] += g["count"]
            for slug in g["concerns"]:
                t["concerned"][slug] += g["count"]
    return t


COLUMNS = ("invitations", "respondents", "trust")


def check_no_differencing(parent: dict, parts: list[tuple[dict, dict]]) -> None:
    """``parent``: column -> shown; ``parts``: (column -> shown, true counts) for every
    part of the total. For each column whose total is shown, the hidden parts hold 0
    between them, or are two or more with a true total of at least 10 (or the only part,
    which is the total itself: a ward whose one street is not listed)."""
    for column in COLUMNS:
        # The only part with anything in the quarter is the total itself (a CSV also
        # lists, all hidden, the parts that had something in another quarter).
        if not parent[column] or sum(1 for _shown, truth in parts if truth["invitations"]) <= 1:
            continue
        # What the total minus the parts shown leaves is spread over the hidden parts: it
        # must be 0 (nobody to give away), or held by two or more hidden parts with at
        # least 10 between them. A hidden part whose true value is 0 still protects:
        # that it is 0 is hidden with it.
        hidden = [truth[column] for shown, truth in parts if not shown[column]]
        assert sum(hidden) == 0 or (len(hidden) >= 2 and sum(hidden) >= threshold()), (
            column,
            hidden,
        )


def shown_on_page(p: Published | None) -> dict:
    if p is None:  # a street not listed
        return dict.fromkeys(COLUMNS, False)
    return {"invitations": p.invitations is not None, "respondents": p.respondents is not None,
            "trust": p.means["trust"].shown}  # fmt: skip


def shown_in_csv(row: dict) -> dict:
    return {"invitations": row["invitations"] != export.HIDDEN,
            "respondents": row["respondents"] != export.HIDDEN,
            "trust": row["trust_mean"] != export.HIDDEN}  # fmt: skip


def check_csv(area, rounds, parts_truth=None) -> None:
    """``parts_truth(code, quarter)``: the true counts of the part with that code."""
    out = io.StringIO()
    export.write(out, area=area, rounds=rounds)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    if parts_truth is not None:
        for q, round_ in enumerate(rounds):
            label = quarter_label(round_.starts_on)
            rows = [r for r in table if r["quarter"] == label]
            whole = next(r for r in rows if r["code"] == area.code and r["level"] == area.level)
            parts = [r for r in rows if r is not whole]
            check_no_differencing(
                shown_in_csv(whole), [(shown_in_csv(r), parts_truth(r["code"], q)) for r in parts]
            )
    for row in table:
        for column in ("invitations", "respondents", "trust_n", "confidence_n"):
            assert row[column] == export.HIDDEN or int(row[column]) >= threshold()
        if row["trust_mean"] != export.HIDDEN:
            assert int(row["trust_n"]) >= threshold()
        if row["response_rate"] != export.HIDDEN:
            assert row["respondents"] != export.HIDDEN and row["invitations"] != export.HIDDEN


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(groups=st.lists(group, min_size=1, max_size=8))
def test_no_displayed_result_shows_a_small_number(tiny_force, groups):
    with transaction.atomic():
        rounds = [round_at(2025, 1), round_at(2025, 2)]
        streets = [
            Street.objects.create(name=f"Street {i}", ward=tiny_force["riverside"],
                                  geometry=Point(100100 + i * 100, 101100, srid=27700),
                                  source=Street.Source.POLICE_UK)
            for i in range(2)
        ]  # fmt: skip
        placed = []
        for g in groups:
            ward = tiny_force[g["ward"]]
            street = (
                streets[g["street"]]
                if g["street"] is not None and ward.code == "E05999901"
                else None
            )
            placed.append({**g, "ward_code": ward.code, "street_obj": street})
            bulk_responses(
                ward=ward,
                round_=rounds[g["quarter"]],
                count=g["count"],
                street=street,
                scales={"trust": g["trust"]} if g["trust"] else {},
                priorities=g["priorities"],
                concerns=g["concerns"],
                submitted=g["submitted"],
                invitations_only=not g["answered"],
            )  # fmt: skip
        wards_of = defaultdict(set)
        for name, district in (("riverside", "north"), ("hillside", "north"), ("docks", "south")):
            code = tiny_force[name].code
            wards_of[tiny_force[district].code].add(code)
            wards_of[tiny_force["force"].code].add(code)
            wards_of[code].add(code)
        street_code = {str(s.pk): s for s in streets} | {"": None}

        def part_truth(area, code, q):
            """True counts of the part ``code`` (an area, or a street by id) of ``area``."""
            if area.level == "ward":
                s = street_code[code]
                return truth_for(placed, lambda g: g["ward_code"] == area.code
                                 and g["street_obj"] == s, q)  # fmt: skip
            return truth_for(placed, lambda g: g["ward_code"] in wards_of[code], q)

        children_of = {
            name: [tiny_force[c].code for c in children]
            for name, children in (("force", ["north", "south"]),
                                   ("north", ["riverside", "hillside"]), ("south", ["docks"]))
        }  # fmt: skip
        # What each area's (or street's) own page shows, and what its parent's table
        # shows of it: they must agree, or one page would give away what the other hides.
        own_page, in_parent = {}, {}
        for area_name in ("force", "north", "south", "riverside", "hillside", "docks"):
            area = tiny_force[area_name]
            for q, round_ in enumerate(rounds):
                res = results_for(area=area, round_=round_)
                # An area's own total may be hidden when 10 or more too: so that it agrees
                # with its parent's table.
                check(
                    res.current,
                    truth_for(placed, lambda g, a=area: g["ward_code"] in wards_of[a.code], q),
                    whole=area.parent_id is None,
                )
                own_page[area.code, q] = shown_on_page(res.current)
                listed = {}
                for child in res.children:
                    code = "" if child.kind == "none" else child.code
                    listed[code] = child.published
                    check(child.published, part_truth(area, code, q), whole=False)
                if area.level == "ward":
                    for street in streets:
                        if part_truth(area, str(street.pk), q)["invitations"]:
                            in_parent[f"street-{street.pk}", q] = shown_on_page(
                                listed.get(str(street.pk))
                            )
                else:
                    for code in children_of[area_name]:
                        if code in listed:
                            in_parent[code, q] = shown_on_page(listed[code])
                # Every part with anything in the quarter, listed or not.
                codes = street_code if area.level == "ward" else children_of[area_name]
                parts = [
                    (shown_on_page(listed.get(code)), part_truth(area, code, q))
                    for code in codes
                    if part_truth(area, code, q)["invitations"]
                ]
                if area.level == "ward":
                    assert res.children_hidden == sum(
                        1 for code in codes
                        if code not in listed and part_truth(area, code, q)["invitations"]
                    )  # fmt: skip
                check_no_differencing(shown_on_page(res.current), parts)
            check_csv(area, rounds, lambda code, q, a=area: part_truth(a, code, q))
        for street in streets:
            for q, round_ in enumerate(rounds):
                res = results_for(area=tiny_force["riverside"], round_=round_, street=street)
                check(
                    res.current,
                    truth_for(placed, lambda g, s=street: g["street_obj"] == s, q),
                    whole=False,
                )
                own_page[f"street-{street.pk}", q] = shown_on_page(res.current)
        for key, shown in in_parent.items():
            assert own_page[key] == shown, (key, own_page[key], shown)
        transaction.set_rollback(True)
