"""My account writes valid HTML: a <time datetime> has at most 3 digits of fractions."""

import re

import pytest

from tests.browser.html_check import html_problems
from tests.factories.members import make_member
from tests.factories.surveys import make_invitation

pytestmark = pytest.mark.django_db


def test_my_account_dates_its_surveys_with_valid_times(client):
    member = make_member()
    make_invitation(member)
    client.force_login(member.user)

    html = client.get("/my-account/").content.decode()

    times = re.findall(r'<time datetime="([^"]+)">', html)
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", t) for t in times)
    assert html_problems(html) == []
