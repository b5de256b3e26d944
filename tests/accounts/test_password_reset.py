"""A forgotten password: a link by e-mail, through a real SMTP server, to a page that sets a new one."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.smtp import smtp_inbox  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari():
    return get_user_model().objects.create_user("kari", email="kari@nora.example", password="gammalt-lösen-1")


def ask_for_link(client, address):
    return client.post(reverse("password_reset"), {"email": address}, follow=True)


def test_the_link_arrives_by_smtp_in_swedish_and_sets_a_new_password(client, kari, smtp_inbox):  # noqa: F811
    page = ask_for_link(client, "kari@nora.example")
    assert "Kolla din e-post" in page.content.decode()
    [message] = smtp_inbox.messages
    assert message.recipients == ["kari@nora.example"]
    assert message["Subject"] == "Välj ett nytt lösenord för Noramål – Nora kommun"
    body = message.get_content()
    assert "Öppna länken inom ett dygn" in body
    link = re.search(r"http://testserver(/konto/nytt-losenord/\S+/)", body).group(1)

    form = client.get(link, follow=True)
    assert "Välj ett nytt lösenord" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Nytt-fint-lösen-2027", "new_password2": "Nytt-fint-lösen-2027"},
        follow=True,
    )
    assert "Lösenordet är ändrat" in done.content.decode()
    kari.refresh_from_db()
    assert kari.check_password("Nytt-fint-lösen-2027")
    # A used link does not work a second time.
    again = client.get(link, follow=True)
    assert "Länken fungerar inte" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, kari, smtp_inbox):  # noqa: F811
    page = ask_for_link(client, "nagon@annan.example")
    assert "Kolla din e-post" in page.content.decode()
    assert smtp_inbox.messages == []


def test_the_login_page_links_to_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
