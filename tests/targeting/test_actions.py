"""The action rules as a registry: what each rule declares, and a rule added in one place."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager

import pytest

from targeting import actions
from targeting.actions import ActionRule
from targeting.models import StreetScore
from targeting.scoring import compute_scores
from tests.factories.targeting import MAR


@contextmanager
def registered(rule: ActionRule):
    actions.register(rule)
    try:
        yield rule
    finally:
        actions.unregister(rule.key)


@contextmanager
def replaced(key: str, **changes):
    """The rule ``key`` with some of its declaration changed, for the duration."""
    original = actions.rule_for(key)
    actions.unregister(key)
    try:
        with registered(dataclasses.replace(original, **changes)):
            yield
    finally:
        actions.unregister(key)
        actions.register(original)


def leaflet_drop(**changes) -> ActionRule:
    """A rule the project does not have, strong enough to come first where it fires."""
    declaration = {
        "key": "leaflet_drop",
        "title": "Leaflet drop",
        "reason": lambda p, *, level, period: f"{p['crimes']} crime(s) on record",
        "thresholds": {"crimes": 1},
        "when": "s.crimes >= {crimes}",
        "strength": "99",
        "shows": "'crimes', s.crimes",
        "levels": frozenset({"street"}),
    }
    return ActionRule(**(declaration | changes))


def street_actions(area, key: str) -> list[dict]:
    return StreetScore.objects.get(period=MAR, street=area["streets"][key]).actions


@pytest.mark.parametrize("rule", actions.registered(), ids=lambda r: r.key)
def test_every_registered_rule_has_a_title_a_reason_and_a_threshold(rule):
    assert str(rule.title).strip()
    assert callable(rule.reason)
    assert rule.thresholds and all(
        isinstance(value, int | float) for value in rule.thresholds.values()
    )


def test_the_registry_holds_the_rules_for_streets_and_wards():
    street = {r.key for r in actions.registered(level="street")}
    ward = {r.key for r in actions.registered(level="ward")}

    assert {"hotspot", "prevent_burglary", "visible_presence"} <= street - ward
    assert "partnership" in ward - street
    assert {"asb_patrols", "door_knock", "confidence_meeting"} <= street & ward


@pytest.mark.django_db
def test_a_rule_registered_in_one_place_is_proposed_and_shown_on_the_street_page(
    client, officer, area
):
    with registered(leaflet_drop()):
        compute_scores(forces=[area["force"]])
        client.force_login(officer)
        page = client.get(f"/staff/priorities/street/{area['streets']['quiet'].pk}/")

    assert street_actions(area, "quiet")[0] == {"rule": "leaflet_drop", "params": {"crimes": 1}}
    assert "<strong>Leaflet drop</strong>: 1 crime(s) on record" in page.content.decode()


@pytest.mark.django_db
def test_a_rule_is_proposed_with_the_threshold_its_registry_entry_declares(area):
    with registered(leaflet_drop(thresholds={"crimes": 4})):
        compute_scores(forces=[area["force"]])
        rules_of = {key: [a["rule"] for a in street_actions(area, key)] for key in area["streets"]}

    assert "leaflet_drop" not in rules_of["quiet"]  # 1 crime
    assert "leaflet_drop" in rules_of["high"]  # 16 crimes


@pytest.mark.django_db
def test_changing_a_rules_threshold_in_the_registry_changes_what_scoring_proposes(area):
    compute_scores(forces=[area["force"]])
    assert [a["rule"] for a in street_actions(area, "hill")] == ["visible_presence"]  # 3 crimes

    with replaced("visible_presence", thresholds={"crimes": 4}):
        compute_scores(forces=[area["force"]])
        assert street_actions(area, "hill") == []


def test_a_stored_action_whose_rule_is_gone_keeps_a_title_made_from_its_key():
    action = actions.action_of({"rule": "knife_arch", "params": {}}, level="street", period=MAR)

    assert (action.title, action.reason) == ("Knife arch", "")


def test_a_threshold_the_rule_never_reads_is_refused():
    with pytest.raises(ValueError, match="unused"):
        leaflet_drop(thresholds={"crimes": 1, "households": 20})


def test_a_rule_reading_one_not_registered_before_it_is_refused():
    rule = leaflet_drop(when="s.crimes >= {crimes} AND s.id NOT IN {fired_knife_arch}")

    with pytest.raises(ValueError, match="knife_arch"):
        actions.register(rule)
    assert actions.rule_for("leaflet_drop") is None


def test_a_rule_key_already_registered_is_refused():
    with pytest.raises(ValueError, match="registered already"):
        actions.register(leaflet_drop(key="hotspot"))
