"""/dev/mail/ lists what the local SMTP server received, only while DEBUG is on."""

import pytest
from django.test import Client

from alerts import services
from tests.factories.alerts import make_delivery
from tests.factories.members import make_member
from tests.smtp import SMTP_BACKEND, running_smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(tmp_path, settings):
    """One alert sent through the real SMTP server into a folder of the test's own."""
    with running_smtp_server(tmp_path / "mail") as server:
        settings.EMAIL_BACKEND = SMTP_BACKEND
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.ALERTS_MAIL_DIR = str(server.folder)
        services.delivery_send(delivery_id=make_delivery(member=make_member()).pk)
        yield server


def test_the_mailbox_lists_what_the_server_received_when_debug_is_on(received, settings):
    settings.DEBUG = True

    page = Client().get("/dev/mail/")

    assert page.status_code == 200
    assert "Bogus callers in the area" in page.content.decode()


def test_a_message_shows_its_text_and_one_click_headers(received, settings):
    settings.DEBUG = True
    [path] = received.files()

    page = Client().get(f"/dev/mail/{path.name}/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Please check ID" in text and "List-Unsubscribe-Post" in text


def test_the_mailbox_is_absent_when_debug_is_off(received, settings):
    settings.DEBUG = False
    [path] = received.files()

    assert Client().get("/dev/mail/").status_code == 404
    assert Client().get(f"/dev/mail/{path.name}/").status_code == 404


def test_only_files_of_the_mail_folder_can_be_shown(received, settings):
    settings.DEBUG = True

    assert Client().get("/dev/mail/..%2F..%2Fsettings.py/").status_code == 404
    assert Client().get("/dev/mail/missing.eml/").status_code == 404


def test_an_officers_weekly_briefing_is_listed_once_sent_to_the_server(people, tmp_path, settings):
    from targeting.insight.briefing_mail import briefing_send

    with running_smtp_server(tmp_path / "mail") as server:
        settings.EMAIL_BACKEND = SMTP_BACKEND
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.ALERTS_MAIL_DIR = str(server.folder)
        settings.DEBUG = True
        briefing = briefing_send(user=people.ward_officer)
        services.delivery_send(delivery_id=briefing.deliveries.get().pk)

        page = Client().get("/dev/mail/").content.decode()

    assert briefing.subject in page and people.ward_officer.email in page
