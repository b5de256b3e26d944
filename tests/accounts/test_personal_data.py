"""Personal data: the administrators' page, one person's export, pseudonymisation and retention."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import retention
from accounts.models import AuditEvent, MailPreference, Membership, record_event, set_mail_frequency
from accounts.personal_data import pseudonymise
from followup.comments import add_comment
from followup.models import Assessment, CalendarFeed, IndicatorValue, SentMail
from followup.notices import notify_comment
from goals.models import Activity
from tests.followup.world import build_world
from tests.smtp import smtp_inbox  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world():
    """BN's editor is Kari Nordmann: she entered a closed period's value, submitted a judgement, changed an
    activity, is named responsible in two activities (not in a third), and is logged in."""
    w = build_world()
    kari = w.kari = w.users["editor_bn"]
    kari.first_name, kari.last_name, kari.email = "Kari", "Nordmann", "kari@nora.example"
    kari.save()
    IndicatorValue.objects.filter(period=w.closed_period).update(updated_by=kari)
    w.assessment = Assessment.objects.create(
        goal=w.bn_goal,
        period=w.closed_period,
        judgement=Assessment.Judgement.MET,
        state=Assessment.State.SUBMITTED,
        submitted_by=kari,
    )
    w.led = Activity.objects.create(
        goal=w.bn_goal, owner=w.bn, title="Läslyftet", responsible="Kari Nordmann"
    )
    w.shared = Activity.objects.create(
        goal=w.bn_goal, owner=w.bn, title="Mattelyftet", responsible="Per Ek, kari  nordmann"
    )
    w.other = Activity.objects.create(
        goal=w.bn_goal, owner=w.bn, title="Simskola", responsible="Karin Nordmannsson"
    )
    w.led.description = "Ändrad av Kari."
    w.led._history_user = kari
    w.led.save()
    record_event("import", "Kari importerade värden", user=kari)
    w.kari_client = Client()
    w.kari_client.force_login(kari)
    w.admin = w.users["admin"]
    return w


def admin_client(world):
    client = Client()
    client.force_login(world.admin)
    return client


# --- The page ---------------------------------------------------------------------------------------------


def test_the_page_lists_the_personal_data_for_admins_in_swedish(world):
    response = admin_client(world).get(reverse("accounts:personal_data"))
    html = response.content.decode()
    assert response.status_code == 200
    kinds = [
        "Användarkonton",
        "Medlemskap (roller)",
        "Granskningshändelser",
        "Ansvariga personer för aktiviteter",
        "Val av påminnelser per e-post",
        "Skickade e-brev",  # the follow-up's, registered by it
        "Kalenderadresser",
    ]
    for kind in [*kinds, "Sessioner", "Inloggningsloggar", "Anropsloggar"]:
        assert kind in html
    assert "NORAMAL_SESSION_DAYS" in html and "10 timmar" in html


@pytest.mark.parametrize("persona", ["reader", "editor_bn", "controller"])
def test_others_get_403(world, persona):
    client = Client()
    client.force_login(world.users[persona])
    assert client.get(reverse("accounts:personal_data")).status_code == 403
    assert client.get(reverse("accounts:user_export", args=[world.kari.pk])).status_code == 403
    assert client.get(reverse("accounts:user_pseudonymise", args=[world.kari.pk])).status_code == 403


def test_the_admins_navigation_links_the_page_where_the_members_page_is(world):
    html = admin_client(world).get(reverse("accounts:workspace")).content.decode()
    assert reverse("accounts:members") in html and reverse("accounts:personal_data") in html
    roles_page = (
        admin_client(world).get(reverse("accounts:user_roles", args=[world.kari.pk])).content.decode()
    )
    assert reverse("accounts:user_export", args=[world.kari.pk]) in roles_page
    assert reverse("accounts:user_pseudonymise", args=[world.kari.pk]) in roles_page


# --- The export -------------------------------------------------------------------------------------------


def exported(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_the_export_holds_the_account_roles_events_authored_rows_and_named_activities(world):
    data = exported(admin_client(world).get(reverse("accounts:user_export", args=[world.kari.pk])))
    assert data["account"]["username"] == "editor_bn"
    assert (data["account"]["first_name"], data["account"]["last_name"]) == ("Kari", "Nordmann")
    assert data["account"]["email"] == "kari@nora.example"
    assert data["memberships"] == [
        {"organisation": "BN", "organisation_name": "Bildningsnämnden", "role": "editor"}
    ]
    assert [e["summary"] for e in data["audit_events_by_them"]] == ["Kari importerade värden"]
    authored = {(row["model"], row["field"]): row for row in data["rows_they_authored"]}
    value = IndicatorValue.objects.get(period=world.closed_period)
    assert authored["followup.indicatorvalue", "updated_by"]["ids"] == [value.pk]
    assert authored["followup.assessment", "submitted_by"]["ids"] == [world.assessment.pk]
    history = Activity.history.model.objects.get(history_user=world.kari)
    assert authored["goals.historicalactivity", "history_user"]["ids"] == [history.pk]
    assert authored["goals.historicalactivity", "history_user"]["count"] == 1
    assert sorted(a["title"] for a in data["activities_naming_them"]) == ["Läslyftet", "Mattelyftet"]
    assert data["active_sessions"] == 1


def test_a_user_downloads_their_own_data_from_my_page(world):
    page = world.kari_client.get(reverse("accounts:workspace")).content.decode()
    assert reverse("accounts:own_export") in page
    data = exported(world.kari_client.get(reverse("accounts:own_export")))
    assert data["account"]["id"] == world.kari.pk and data["account"]["email"] == "kari@nora.example"


def mailed_with_a_feed(world):
    """Kari got a notice by e-mail (through the SMTP server), made a calendar feed and chose weekly
    reminders; returns her feed's address."""
    comment = add_comment(world.bn_assessment, world.users["controller"], "Fundera på analysen.")
    assert notify_comment(comment) == 1
    assert world.kari_client.post(reverse("followup:feed_new")).status_code == 302
    set_mail_frequency(world.kari, MailPreference.Frequency.WEEKLY)
    return CalendarFeed.objects.get(user=world.kari).get_absolute_url()


def test_the_export_holds_her_mail_her_feed_and_her_choice_of_reminders(world, smtp_inbox):  # noqa: F811
    feed_url = mailed_with_a_feed(world)
    [message] = smtp_inbox.messages
    response = admin_client(world).get(reverse("accounts:user_export", args=[world.kari.pk]))
    data = exported(response)
    [mail] = data["sent_mails"]
    assert (mail["to"], mail["kind"], mail["subject"]) == ("kari@nora.example", "comment", message["Subject"])
    assert mail["period"] == str(world.period) and mail["sent_at"]
    assert set(data["calendar_feed"]) == {"created_at"}
    assert feed_url.rsplit("/", 1)[-1].removesuffix(".ics") not in response.content.decode()  # no secret
    assert data["mail_preference"] == "weekly"
    # Her own data, not rows she authored.
    models = {row["model"] for row in data["rows_they_authored"]}
    assert not models & {"followup.sentmail", "followup.calendarfeed", "accounts.mailpreference"}


def test_pseudonymising_clears_her_address_in_the_mail_log_and_stops_her_feed(world, smtp_inbox):  # noqa: F811
    feed_url = mailed_with_a_feed(world)
    assert Client().get(feed_url).status_code == 200
    pseudonymise(world.kari, by=world.admin)
    kari, _event = assert_pseudonymised(world)
    # The log keeps that a mail went out, and when, not to which address.
    assert list(SentMail.objects.values_list("user", "to", "kind")) == [(kari.pk, "", "comment")]
    assert "kari@nora.example" not in json.dumps(list(SentMail.objects.values()), default=str)
    log = admin_client(world).get(reverse("followup:sent_mail")).content.decode()
    assert f"anonym-{kari.pk}</td>" in log and "kari@nora.example" not in log
    assert Client().get(feed_url).status_code == 404
    assert not CalendarFeed.objects.filter(user=kari).exists()
    assert not MailPreference.objects.filter(user=kari).exists()
    assert CalendarFeed.objects.exists()  # the others' feeds stay


# --- Pseudonymisation -------------------------------------------------------------------------------------


def assert_pseudonymised(world):
    kari = User.objects.get(pk=world.kari.pk)
    alias = f"anonym-{kari.pk}"
    assert (kari.username, kari.first_name, kari.last_name, kari.email) == (alias, alias, "", "")
    assert not kari.is_active and not kari.has_usable_password()
    assert not User.objects.filter(username="editor_bn").exists()
    # The records still point at the same row.
    assert IndicatorValue.objects.get(period=world.closed_period).updated_by_id == kari.pk
    assert Assessment.objects.get(pk=world.assessment.pk).submitted_by_id == kari.pk
    assert Activity.history.model.objects.filter(history_user=kari).count() == 1
    assert AuditEvent.objects.filter(user=kari, summary="Kari importerade värden").count() == 1
    # The name is gone from the activities and their history; someone else's name is left alone.
    world.led.refresh_from_db(), world.shared.refresh_from_db(), world.other.refresh_from_db()
    assert (world.led.responsible, world.shared.responsible) == (alias, f"Per Ek, {alias}")
    assert world.other.responsible == "Karin Nordmannsson"
    assert not Activity.history.model.objects.filter(responsible__icontains="Nordmann ").exists()
    assert not Activity.history.model.objects.filter(responsible="Kari Nordmann").exists()
    assert not Membership.objects.filter(user=kari).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(kari.pk)]
    event = AuditEvent.objects.get(action="user.pseudonymise")
    assert event.object_id == str(kari.pk) and alias in event.summary
    return kari, event


def test_the_page_pseudonymises_after_the_typed_username(world):
    client = admin_client(world)
    url = reverse("accounts:user_pseudonymise", args=[world.kari.pk])
    confirmation = client.get(url).content.decode()
    assert (
        "Det här går inte att ångra." in confirmation
        and "Skriv användarnamnet för att bekräfta" in confirmation
    )
    assert "Läslyftet" in confirmation and "Simskola" not in confirmation
    response = client.post(url, {"username": "editor_bn"})
    assert response.status_code == 302 and response.url == reverse("accounts:members")
    _kari, event = assert_pseudonymised(world)
    assert event.user == world.admin
    # Her session was ended, and she cannot log in again.
    assert world.kari_client.get(reverse("accounts:workspace")).status_code == 302
    login = Client().post(reverse("login"), {"username": "editor_bn", "password": "pw"})
    assert login.status_code == 200 and not login.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("typed", [None, "", "editor_ks", "EDITOR_BN"])
def test_a_post_without_the_confirmation_changes_nothing(world, typed):
    before = list(
        User.objects.order_by("pk").values_list("username", "first_name", "email", "is_active", "password")
    )
    activities = list(Activity.objects.order_by("pk").values_list("responsible", flat=True))
    response = admin_client(world).post(
        reverse("accounts:user_pseudonymise", args=[world.kari.pk]),
        {} if typed is None else {"username": typed},
    )
    assert response.status_code == 200
    assert before == list(
        User.objects.order_by("pk").values_list("username", "first_name", "email", "is_active", "password")
    )
    assert activities == list(Activity.objects.order_by("pk").values_list("responsible", flat=True))
    assert not AuditEvent.objects.filter(action="user.pseudonymise").exists()
    assert world.kari_client.get(reverse("accounts:workspace")).status_code == 200


def test_an_admin_cannot_pseudonymise_themselves(world):
    response = admin_client(world).post(
        reverse("accounts:user_pseudonymise", args=[world.admin.pk]), {"username": "admin"}
    )
    assert "Du kan inte pseudonymisera ditt eget konto." in response.content.decode()
    assert User.objects.get(pk=world.admin.pk).is_active


def test_the_command_does_the_same_through_the_same_service(world):
    call_command("pseudonymise_user", "editor_bn", "--yes", stdout=StringIO())
    _kari, event = assert_pseudonymised(world)
    assert event.user is None
    with pytest.raises(CommandError, match="redan pseudonymiserad"):
        call_command("pseudonymise_user", f"anonym-{world.kari.pk}", "--yes")
    with pytest.raises(CommandError, match="nobody"):
        call_command("pseudonymise_user", "nobody", "--yes")


def test_the_audit_events_about_her_account_name_the_pseudonym(world):
    from accounts import services

    membership = Membership.objects.get(user=world.kari)
    services.change_membership(membership, by=world.admin)
    assert AuditEvent.objects.filter(summary__contains="editor_bn:").exists()
    admin_client(world).post(
        reverse("accounts:user_pseudonymise", args=[world.kari.pk]), {"username": "editor_bn"}
    )
    assert not AuditEvent.objects.filter(summary__contains="editor_bn").exists()
    assert AuditEvent.objects.filter(
        action="membership.revoke", summary__contains=f"anonym-{world.kari.pk}:"
    ).exists()


LOGIN = {
    "user_agent": "ua",
    "ip_address": "127.0.0.1",
    "username": "editor_bn",
    "http_accept": "*",
    "path_info": "/",
}


# --- Retention --------------------------------------------------------------------------------------------


def test_purge_clears_expired_sessions_old_login_records_and_keeps_audit_events_by_default(world, settings):
    settings.NORAMAL_LOGIN_LOG_DAYS = 30
    settings.NORAMAL_AUDIT_RETENTION_DAYS = None
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    old = AccessLog.objects.create(**LOGIN)
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=31))
    recent = AccessLog.objects.create(**LOGIN)
    AuditEvent.objects.update(at=timezone.now() - timedelta(days=4000))
    call_command("purge_personal_data", stdout=StringIO())
    assert not Session.objects.filter(session_key="x" * 32).exists()
    assert Session.objects.filter(expire_date__gt=timezone.now()).exists()  # Kari's login stays
    assert (
        not AccessLog.objects.filter(pk=old.pk).exists() and AccessLog.objects.filter(pk=recent.pk).exists()
    )
    assert AuditEvent.objects.count() >= 1


def test_purge_deletes_audit_events_past_their_retention_when_set(world, settings):
    settings.NORAMAL_AUDIT_RETENTION_DAYS = 365
    kept = record_event("import", "nyss", user=world.kari)
    AuditEvent.objects.exclude(pk=kept.pk).update(at=timezone.now() - timedelta(days=366))
    assert retention.purge_expired()["audit_events"] >= 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
