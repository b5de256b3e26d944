"""Mina uppgifter, the reminder digests and notices by e-mail (through a real SMTP server), the sent-mail log
and the calendar feed (parsed back with icalendar)."""

import datetime
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import MailPreference, Membership, set_mail_frequency
from followup import reminders, services
from followup.calendar import add_working_days, is_working_day, working_days_until
from followup.models import Assessment, CalendarFeed, IndicatorValue, PeriodDeadline, SentMail
from followup.worklist import everyones_work, worklist
from tests import factories
from tests.smtp import smtp_inbox  # noqa: F401 - the fixture

# A Monday with no day off in the weeks around it.
TODAY = datetime.date(2026, 10, 5)
SITE = "https://mal.nora.example"


def working_days_from(today, n):
    """The day `n` working days from `today` (negative: before it)."""
    if n >= 0:
        return add_working_days(today, n)
    day = today
    for _ in range(-n):
        day -= datetime.timedelta(days=1)
        while not is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


@pytest.fixture
def mail_world(world, settings):
    """The follow-up world with e-mail addresses and the boards' deadline (set per test); the period's own
    deadline is far off."""
    settings.SITE_URL = SITE
    settings.REMINDER_DAYS = (10, 3)
    for name in ("editor_bn", "editor_ks", "controller", "reader"):
        user = world.users[name]
        user.email = f"{name}@nora.example"
        user.save()
    world.period.deadline = TODAY + datetime.timedelta(days=90)
    world.period.save()
    world.board_step = PeriodDeadline.objects.create(
        period=world.period, position=0, name="Nämnder", organisation_kinds=["board"], deadline=TODAY
    )
    return world


def set_board_deadline(world, days_left):
    world.board_step.deadline = working_days_from(TODAY, days_left)
    world.board_step.save()


def test_working_days_until_counts_both_ways_and_skips_days_off():
    assert working_days_until(TODAY, add_working_days(TODAY, 10)) == 10
    assert working_days_until(TODAY, TODAY) == 0
    assert working_days_until(TODAY, working_days_from(TODAY, -8)) == -8
    # Midsommarafton and the weekend: Thursday 2026-06-18 to Monday 2026-06-22 is one working day.
    assert working_days_until(datetime.date(2026, 6, 18), datetime.date(2026, 6, 22)) == 1


# The rule as a table: working days to the deadline × the person's choice → a digest today (a Monday)?
RULE = [
    (10, "daily", True),
    (9, "daily", False),
    (3, "daily", True),
    (0, "daily", True),
    (-1, "daily", True),
    (-6, "daily", True),
    (-8, "daily", True),
    (11, "weekly", False),
    (10, "weekly", True),
    (3, "weekly", True),
    (0, "weekly", True),
    (-1, "weekly", True),
    (-8, "weekly", True),
    (10, "none", False),
    (3, "none", False),
    (0, "none", False),
    (-1, "none", False),
    (-8, "none", False),
]


@pytest.mark.parametrize(("days_left", "frequency", "sent"), RULE)
def test_the_reminder_rule(mail_world, smtp_inbox, days_left, frequency, sent):  # noqa: F811
    set_board_deadline(mail_world, days_left)
    set_mail_frequency(mail_world.users["editor_bn"], frequency)
    set_mail_frequency(mail_world.users["editor_ks"], MailPreference.Frequency.NONE)

    reminders.send_reminders(TODAY)

    to = [m.recipients for m in smtp_inbox.messages]
    assert to == ([["editor_bn@nora.example"]] if sent else [])
    assert SentMail.objects.count() == len(to)


@pytest.mark.parametrize(("days_ago", "sent"), [(1, False), (6, False), (7, True), (14, True)])
def test_a_late_person_is_reminded_once_a_week(mail_world, smtp_inbox, days_ago, sent):  # noqa: F811
    set_board_deadline(mail_world, -8)
    set_mail_frequency(mail_world.users["editor_ks"], MailPreference.Frequency.NONE)
    earlier = SentMail.objects.create(
        key="earlier", kind=SentMail.Kind.REMINDER, user=mail_world.users["editor_bn"], to="x@nora.example"
    )
    SentMail.objects.filter(pk=earlier.pk).update(
        sent_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(7)))
        - datetime.timedelta(days=days_ago)
    )
    reminders.send_reminders(TODAY)
    assert [m.recipients for m in smtp_inbox.messages] == ([["editor_bn@nora.example"]] if sent else [])


def test_weekly_digests_go_out_on_mondays_only(mail_world, smtp_inbox):  # noqa: F811
    set_mail_frequency(mail_world.users["editor_bn"], MailPreference.Frequency.WEEKLY)
    tuesday = TODAY + datetime.timedelta(days=1)
    mail_world.board_step.deadline = add_working_days(tuesday, 3)
    mail_world.board_step.save()
    reminders.send_reminders(tuesday)
    assert [m.recipients for m in smtp_inbox.messages] == [["editor_ks@nora.example"]]  # KS: daily, day -3


def test_nothing_on_a_day_off(mail_world, smtp_inbox):  # noqa: F811
    saturday = TODAY - datetime.timedelta(days=2)
    mail_world.board_step.deadline = saturday
    mail_world.board_step.save()
    reminders.send_reminders(saturday)
    assert smtp_inbox.messages == []


def test_one_swedish_digest_per_person_with_links_and_nothing_on_a_second_run(mail_world, smtp_inbox):  # noqa: F811
    set_board_deadline(mail_world, 3)
    # BN's editor also edits KS: one digest with both boards' work.
    Membership.objects.create(user=mail_world.users["editor_bn"], organisation=mail_world.ks, role="editor")

    call_command("send_reminders", "--date", TODAY.isoformat())
    call_command("send_reminders", "--date", TODAY.isoformat())

    by_person = {tuple(m.recipients): m for m in smtp_inbox.messages}
    assert sorted(by_person) == [("editor_bn@nora.example",), ("editor_ks@nora.example",)]
    message = by_person[("editor_bn@nora.example",)]
    deadline = working_days_from(TODAY, 3).isoformat()
    assert message["Subject"] == f"Noramål: dina uppgifter i uppföljningen, tidsfrist {deadline}"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hej Editor Bn," in text
    assert "Bildningsnämnden" in text and "Kommunstyrelsen" in text
    assert "1 bedömning har inte lämnats in" in text
    assert "1 aktivitet saknar status" in text
    values_link = SITE + reverse("followup:values", args=[mail_world.period.pk, mail_world.ks.pk])
    assert values_link in text and f'href="{values_link}"' in html
    assert SITE + reverse("accounts:workspace") in text
    log = SentMail.objects.get(to="editor_bn@nora.example")
    assert log.kind == SentMail.Kind.REMINDER and log.period == mail_world.period
    assert "3 arbetsdagar före tidsfristen" in log.reason
    assert SentMail.objects.count() == 2


def test_a_person_with_nothing_left_gets_no_digest(mail_world, smtp_inbox):  # noqa: F811
    set_board_deadline(mail_world, 0)
    # Everything of BN done: its goals' judgements submitted, its activity and assignment reported.
    for goal in (mail_world.bn_goal,):
        services.save_assessment(
            mail_world.period, goal, judgement="met", analysis="Bra.", by=mail_world.users["editor_bn"]
        )
        services.submit_assessment(mail_world.period, goal, by=mail_world.users["editor_bn"])
    services.set_activity_status(
        mail_world.period, mail_world.bn_activity, "ongoing", by=mail_world.users["editor_bn"]
    )
    services.set_assignment_status(
        mail_world.period, mail_world.bn_assignment, "ongoing", by=mail_world.users["editor_bn"]
    )
    assert IndicatorValue.objects.filter(indicator=mail_world.bn_indicator, period=mail_world.period).exists()

    reminders.send_reminders(TODAY)

    assert [m.recipients for m in smtp_inbox.messages] == [["editor_ks@nora.example"]]


def test_a_period_about_to_close_is_told_once_to_everyone_with_work_left(mail_world, smtp_inbox):  # noqa: F811
    set_board_deadline(mail_world, -20)  # no digest today
    mail_world.period.deadline = add_working_days(TODAY, 4)
    mail_world.period.save()
    reminders.send_reminders(TODAY)
    reminders.send_reminders(TODAY + datetime.timedelta(days=1))
    closing = [m for m in smtp_inbox.messages if "stängs" in m["Subject"]]
    assert sorted(m.recipients[0] for m in closing) == [
        "controller@nora.example",
        "editor_bn@nora.example",
        "editor_ks@nora.example",
    ]
    assert SentMail.objects.filter(kind=SentMail.Kind.CLOSING).count() == 3


def test_sending_back_and_approving_tell_the_boards_editors(
    mail_world,
    smtp_inbox,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    controller = mail_world.users["controller"]
    goal = mail_world.bn_goal_submitted
    with django_capture_on_commit_callbacks(execute=True):
        services.return_assessment(mail_world.period, goal, comment="Utveckla analysen.", by=controller)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_assessment(mail_world.period, goal, by=mail_world.users["editor_bn"])
        services.approve_assessment(mail_world.period, goal, by=controller)

    assert [m.recipients for m in smtp_inbox.messages] == [["editor_bn@nora.example"]] * 2
    returned, approved = smtp_inbox.messages
    assert returned["Subject"] == "Noramål: bedömningen av ”Trygg skolmiljö” skickades tillbaka"
    assert "Utveckla analysen." in returned.get_body(("plain",)).get_content()
    assert approved["Subject"] == "Noramål: bedömningen av ”Trygg skolmiljö” godkändes"
    link = SITE + reverse("followup:assessment", args=[mail_world.period.pk, goal.pk])
    assert link in approved.get_body(("plain",)).get_content()
    assert list(SentMail.objects.order_by("pk").values_list("kind", flat=True)) == ["returned", "approved"]


def test_a_mail_server_that_is_down_loses_the_notice_not_the_approval(
    mail_world, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    goal = mail_world.bn_goal_submitted
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_assessment(mail_world.period, goal, by=mail_world.users["controller"])
    assert Assessment.objects.get(goal=goal, period=mail_world.period).state == Assessment.State.APPROVED
    assert not SentMail.objects.exists()


# Mina uppgifter ---------------------------------------------------------------------------------------------


def test_the_task_list_per_persona(mail_world):
    bn = worklist(mail_world.users["editor_bn"], TODAY)
    [period_work] = bn
    assert period_work.period == mail_world.period
    [bn_work] = period_work.organisations
    assert bn_work.organisation == mail_world.bn and bn_work.deadline == TODAY
    kinds = {t.kind: t.count for t in bn_work.tasks}
    # BN: its value entered; one goal without a judgement (the other is submitted); activity and assignment
    # without status.
    assert kinds == {"judgements": 1, "activities": 1, "assignments": 1}
    # The controller's own work is the council's part (its goals' judgements), not the boards'.
    [controller_work] = worklist(mail_world.users["controller"], TODAY)
    assert [w.organisation for w in controller_work.organisations] == [mail_world.council]
    assert worklist(mail_world.users["reader"], TODAY) == []


def test_a_judgement_sent_back_shows_as_such(mail_world):
    services.return_assessment(
        mail_world.period,
        mail_world.bn_goal_submitted,
        comment="Mer analys.",
        by=mail_world.users["controller"],
    )
    [work] = worklist(mail_world.users["editor_bn"], TODAY)
    kinds = {t.kind: t.count for t in work.organisations[0].tasks}
    assert kinds["returned"] == 1 and kinds["judgements"] == 1
    # The task leads to the judgement itself, not to the organisation's list.
    [returned] = [t for t in work.organisations[0].tasks if t.kind == "returned"]
    goal = mail_world.bn_goal_submitted
    assert returned.url == reverse("followup:assessment", args=[mail_world.period.pk, goal.pk])
    assert returned.text == "Bedömningen av ”Trygg skolmiljö” skickades tillbaka"


def test_min_sida_lists_the_tasks_with_deadline_and_links(client, mail_world):
    today = timezone.localdate()
    mail_world.board_step.deadline = add_working_days(today, 3)
    mail_world.board_step.save()
    client.force_login(mail_world.users["editor_bn"])
    html = client.get(reverse("accounts:workspace")).content.decode()
    assert "Mina uppgifter" in html
    assert reverse("followup:activities", args=[mail_world.period.pk, mail_world.bn.pk]) in html
    assert "1 aktivitet saknar status" in html
    assert f'datetime="{add_working_days(today, 3).isoformat()}"' in html and "Försenad" not in html
    mail_world.board_step.deadline = working_days_from(today, -1)
    mail_world.board_step.save()
    assert "Försenad" in client.get(reverse("accounts:workspace")).content.decode()
    client.force_login(mail_world.users["reader"])
    html = client.get(reverse("accounts:workspace")).content.decode()
    assert "Mina uppgifter" not in html and "aktivitet saknar status" not in html


def test_min_sida_reads_the_tasks_in_constant_queries(client, mail_world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(mail_world.users["editor_bn"])
    url = reverse("accounts:workspace")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(6):
        goal = factories.goal(mail_world.kf_goal, f"Nämndmål {n}", owner=mail_world.bn)
        factories.IndicatorFactory(goal=goal, name=f"Indikator {n}")
        factories.ActivityFactory(goal=goal, title=f"Aktivitet {n}")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
    assert "7 bedömningar har inte lämnats in" in client.get(url).content.decode()


def test_everyones_work_is_read_in_constant_queries(mail_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        work = everyones_work(TODAY)
    assert {user.username for user, _periods in work} == {"editor_bn", "editor_ks", "controller"}


def test_the_mail_preference_is_chosen_on_min_sida(client, mail_world):
    user = mail_world.users["editor_bn"]
    client.force_login(user)
    response = client.post(reverse("accounts:mail_preference"), {"frequency": "weekly"})
    assert response.status_code == 302
    assert MailPreference.objects.get(user=user).frequency == "weekly"
    client.post(reverse("accounts:mail_preference"), {"frequency": "hourly"})
    assert MailPreference.objects.get(user=user).frequency == "weekly"


# The sent-mail log -----------------------------------------------------------------------------------------


def test_controllers_read_the_log_of_sent_mail(client, mail_world, smtp_inbox, django_assert_max_num_queries):  # noqa: F811
    set_board_deadline(mail_world, 0)
    reminders.send_reminders(TODAY)
    client.force_login(mail_world.users["controller"])
    with django_assert_max_num_queries(12):
        html = client.get(reverse("followup:sent_mail")).content.decode()
    assert "editor_bn@nora.example" in html and "Tidsfrist i dag" in html
    client.force_login(mail_world.users["editor_bn"])
    assert client.get(reverse("followup:sent_mail")).status_code == 403


# The calendar feed -----------------------------------------------------------------------------------------


def test_the_feed_lists_the_persons_deadlines_and_a_new_address_revokes_the_old(client, mail_world):
    user = mail_world.users["editor_bn"]
    client.force_login(user)
    client.post(reverse("followup:feed_new"))
    old = CalendarFeed.objects.get(user=user).get_absolute_url()
    client.logout()
    response = client.get(old)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == TODAY
    assert "Delårsrapport" in str(event["summary"]) and "BN" in str(event["summary"])

    client.force_login(user)
    client.post(reverse("followup:feed_new"))
    new = CalendarFeed.objects.get(user=user).get_absolute_url()
    client.logout()
    assert new != old and client.get(old).status_code == 404 and client.get(new).status_code == 200

    client.force_login(user)
    client.post(reverse("followup:feed_revoke"))
    assert client.get(new).status_code == 404


def test_a_reader_has_no_feed(client, mail_world):
    client.force_login(mail_world.users["reader"])
    assert client.post(reverse("followup:feed_new")).status_code == 403
    assert not CalendarFeed.objects.filter(user=mail_world.users["reader"]).exists()


def test_schedule_without_a_deferring_backend_plans_nothing(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert reminders.schedule_reminders() is None


def test_the_worker_plans_one_daily_run_and_each_run_plans_the_next(mail_world, settings, smtp_inbox):  # noqa: F811
    from django_tasks_db.models import DBTaskResult

    settings.REMINDER_HOUR = 7
    first = reminders.schedule_reminders()
    assert reminders.schedule_reminders() == first
    assert timezone.localtime(first).hour == 7 and first > timezone.now()
    [planned] = DBTaskResult.objects.filter(task_path="followup.reminders.send_reminders_task")
    assert planned.status == "READY"
    # The worker runs it when due: today's reminders go out, and the next run is planned.
    DBTaskResult.objects.all().delete()
    reminders.send_reminders_task.call()
    assert DBTaskResult.objects.filter(task_path="followup.reminders.send_reminders_task").count() == 1


def test_every_demo_user_has_an_address_at_nora_example(db, settings):
    from io import StringIO

    from django.contrib.auth import get_user_model

    factories.board("BN")
    factories.board("KS", "Kommunstyrelsen")
    settings.DEBUG = True
    call_command("create_demo_users", stdout=StringIO())
    users = get_user_model().objects.values_list("username", "email")
    assert {email for _name, email in users} == {f"{name}@nora.example" for name, _email in users}
    assert len(users) == 5


def test_a_bad_date_is_refused_in_swedish(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date tar en dag som ÅÅÅÅ-MM-DD, inte ”i morgon”"):
        call_command("send_reminders", "--date", "i morgon")
    assert not SentMail.objects.exists()
