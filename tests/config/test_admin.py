"""Django's admin is for superusers only; to anyone else signed in it does not exist."""

import pytest
from django.test import Client

from tests.factories import make_staff
from tests.factories.members import fresh_ip, make_member

pytestmark = pytest.mark.django_db

ADMIN_URLS = [
    "/django-admin/",
    "/django-admin/login/",
    "/django-admin/accounts/user/",
    "/django-admin/accounts/accesslog/",
    "/django-admin/no-such-page/",
]


def signed_in(user) -> Client:
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_the_admin_is_a_404_to_staff_and_members(tiny_force, url):
    admin = make_staff("admin@example.test", "admin", [tiny_force["force"]])
    admin.is_staff = True  # even with Django's own staff flag
    admin.save()
    member = make_member()

    assert signed_in(admin).get(url).status_code == 404
    assert signed_in(member.user).get(url).status_code == 404


def test_a_superuser_opens_the_admin(django_user_model):
    root = django_user_model.objects.create_superuser(email="root@example.test", password="x")

    assert signed_in(root).get("/django-admin/accounts/user/").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in():
    response = Client().get("/django-admin/accounts/user/")

    assert response.status_code == 302
