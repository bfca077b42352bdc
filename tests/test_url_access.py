"""Every page refuses anonymous visitors unless it is on the public allowlist."""

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import get_resolver, path

from tests import url_audit

pytestmark = pytest.mark.django_db


def test_every_url_refuses_anonymous_visitors_except_the_public_allowlist():
    assert url_audit.audit(get_resolver().url_patterns) == []


def test_every_allowlisted_url_exists():
    names = {route.name for route in url_audit.routes(get_resolver().url_patterns)}
    assert url_audit.PUBLIC_ALLOWLIST - names == set()


def forgotten_view(request):
    return HttpResponse("member list")


forgotten_view.__module__ = "areas.views"  # as if someone added it to our code
urlpatterns = [path("staff/forgotten/", forgotten_view, name="forgotten")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_view_without_an_access_check_is_caught():
    problems = url_audit.audit(urlpatterns, Client())

    assert "/staff/forgotten/ (forgotten): view has no access rule" in problems
    assert "/staff/forgotten/ (forgotten): anonymous GET answered 200" in problems
