"""The demo set-up: Hull Central's streets for the demo officer, made once."""

from __future__ import annotations

import pytest

from demo.setups import NAME, load_setups_demo
from demo.staff import create_demo_staff
from targeting.setups.models import SetUp, Visit

pytestmark = pytest.mark.django_db


def test_the_demo_set_up_is_open_for_the_demo_officer_and_a_second_run_adds_nothing():
    create_demo_staff()

    first = load_setups_demo()
    second = load_setups_demo()

    setup = SetUp.objects.get(name=NAME)
    assert setup.status == SetUp.Status.OPEN and setup.area.code == "E05011529"
    assert list(setup.officers.values_list("email", flat=True)) == ["officer@demo.example"]
    assert first == Visit.objects.filter(setup=setup).count() > 0
    assert second == 0 and SetUp.objects.filter(name=NAME).count() == 1
    assert not setup.setup_streets.filter(street__kind="place").exists()
