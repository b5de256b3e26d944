"""The dialogue on a judgement: who writes, who is told (through a real SMTP server), what the page shows."""

import re
import socket
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent, MailPreference, set_mail_frequency
from followup.comments import add_comment
from followup.models import ActivityStatus, Assessment, AssessmentComment, IndicatorValue, SentMail
from followup.notices import notify_comment
from goals.textinput import COMMENT_MAX
from tests import factories
from tests.followup.pages import form_fields, text
from tests.smtp import smtp_inbox  # noqa: F401 - the fixture

J, S = Assessment.Judgement, Assessment.State


SITE = "https://mal.nora.example"


@pytest.fixture
def addresses(world, settings):
    """Every persona with an address, so that any of them could be told; links on the site's address."""
    settings.SITE_URL = SITE
    for name, user in world.users.items():
        if user is not None:
            user.email = f"{name}@nora.example"
            user.save(update_fields=["email"])
    return world


def page_url(world, goal=None, period=None):
    return reverse(
        "followup:assessment", args=[(period or world.period).pk, (goal or world.bn_goal_submitted).pk]
    )


def comment_url(world, goal=None, period=None):
    goal = goal or world.bn_goal_submitted
    return reverse("followup:assessment_comment", args=[(period or world.period).pk, goal.pk])


def stored(world):
    return list(
        AssessmentComment.objects.filter(assessment=world.bn_assessment).values_list("author", "text")
    )


def test_board_official_comments_and_the_controller_gets_a_swedish_mail(
    client,
    world,
    as_persona,
    addresses,
    smtp_inbox,  # noqa: F811
):
    as_persona("editor_bn")
    response = client.post(comment_url(world), {"text": "Vi har lagt till en analys av höstens mätning."})
    assert response.status_code == 302 and response.url.endswith("#dialogue")
    assert stored(world) == [(world.users["editor_bn"].pk, "Vi har lagt till en analys av höstens mätning.")]

    [message] = smtp_inbox.messages
    assert message.recipients == ["controller@nora.example"]  # not the admin, not the writer
    assert message["Subject"] == "Ny kommentar till bedömningen av Trygg skolmiljö"
    body = message.get_body(("plain",)).get_content()
    assert "Editor Bn skrev en kommentar" in body and "för Bildningsnämnden" in body
    assert "Vi har lagt till en analys av höstens mätning." in body
    link = re.search(rf"{SITE}(\S+)", body).group(1)
    assert link == page_url(world) + "#dialogue"
    html = message.get_body(("html",)).get_content()
    assert f'href="{SITE}{page_url(world)}#dialogue"' in html

    assert AuditEvent.objects.filter(action="assessment.comment", user=world.users["editor_bn"]).count() == 1
    # Logged like every other notice, for the controllers' log of sent mail.
    [logged] = SentMail.objects.all()
    comment = AssessmentComment.objects.get()
    assert (logged.key, logged.kind, logged.user, logged.to, logged.period) == (
        f"comment:{world.users['controller'].pk}:{comment.pk}",
        SentMail.Kind.COMMENT,
        world.users["controller"],
        "controller@nora.example",
        world.period,
    )
    assert logged.subject == message["Subject"]
    assert notify_comment(comment) == 0 and len(smtp_inbox.messages) == 1  # never the same one twice


def test_controller_comments_and_the_boards_editors_get_the_mail_on_the_site_address(
    client,
    world,
    as_persona,
    addresses,
    smtp_inbox,  # noqa: F811
):
    as_persona("controller")
    assert (
        client.post(comment_url(world), {"text": "Analysen behöver nämna tryggheten på fritids."}).status_code
        == 302
    )
    [message] = smtp_inbox.messages
    assert message.recipients == ["editor_bn@nora.example"]  # the other board's editor is not told
    body = message.get_body(("plain",)).get_content()
    assert f"{SITE}{page_url(world)}#dialogue" in body
    assert "Controller skrev en kommentar" in body
    assert list(SentMail.objects.values_list("to", "kind")) == [("editor_bn@nora.example", "comment")]


def test_no_reminders_does_not_stop_the_dialogues_notices(
    client,
    world,
    as_persona,
    addresses,
    smtp_inbox,  # noqa: F811
):
    """The choice on Min sida is about reminders; a comment on one's judgement is told whatever it is."""
    set_mail_frequency(world.users["editor_bn"], MailPreference.Frequency.NONE)
    as_persona("controller")
    client.post(comment_url(world), {"text": "Saknas en analys?"})
    assert [m.recipients for m in smtp_inbox.messages] == [["editor_bn@nora.example"]]


def test_reader_cannot_write_but_reads_the_thread_oldest_first_with_names(client, world, as_persona):
    add_comment(world.bn_assessment, world.users["controller"], "Första frågan från controllern.")
    add_comment(world.bn_assessment, world.users["editor_bn"], "Nämndens svar kommer här.")
    as_persona("reader")
    assert client.post(comment_url(world), {"text": "Får jag skriva?"}).status_code == 403
    assert AssessmentComment.objects.count() == 2

    response = client.get(page_url(world))
    page = text(response)
    thread = re.search(r"Dialog mellan nämnden och controllerna (.*?) Målets indikatorer", page).group(1)
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d"
    assert re.fullmatch(
        rf"Controller · {stamp} Första frågan från controllern\. "
        rf"Editor Bn · {stamp} Nämndens svar kommer här\.",
        thread,
    )
    assert form_fields(response, action=comment_url(world))[0] == {}  # no comment form for a reader


def test_official_of_another_board_gets_404(client, world, as_persona):
    as_persona("editor_ks")
    assert client.post(comment_url(world), {"text": "Hej från KS."}).status_code == 404
    assert stored(world) == []


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("   \n ", "Skriv en kommentar."),
        (
            "å" * (COMMENT_MAX + 1),
            f"En kommentar får vara högst {COMMENT_MAX} tecken lång; den här har {COMMENT_MAX + 1}.",
        ),
        ("Text med\x0bkontrolltecken", "osynligt styrtecken"),
    ],
)
def test_bad_text_gives_a_swedish_error_keeps_the_typing_and_writes_nothing(
    client, world, as_persona, typed, error
):
    as_persona("editor_bn")
    response = client.post(comment_url(world), {"text": typed})
    assert response.status_code == 200
    assert error in text(response)
    fields, _attrs = form_fields(response, action=comment_url(world))
    assert fields["text"] == typed
    assert stored(world) == [] and not AuditEvent.objects.filter(action="assessment.comment").exists()


def test_a_closed_periods_dialogue_is_kept_as_it_was(client, world, as_persona):
    closed = Assessment.objects.create(
        goal=world.bn_goal, period=world.closed_period, judgement=J.MET, state=S.APPROVED
    )
    as_persona("editor_bn")
    response = client.post(
        comment_url(world, world.bn_goal, world.closed_period), {"text": "Sent påpekande."}
    )
    assert response.status_code == 409
    assert "Perioden är stängd: dess dialog sparas som den var." in text(response)
    assert not AssessmentComment.objects.filter(assessment=closed).exists()


def test_the_public_reads_an_approved_judgement_without_the_dialogue(client, world):
    closed = Assessment.objects.create(
        goal=world.bn_goal, period=world.closed_period, judgement=J.MET, state=S.APPROVED
    )
    AssessmentComment.objects.create(assessment=closed, author=world.users["controller"], text="Internt.")
    response = client.get(page_url(world, world.bn_goal, world.closed_period))
    assert response.status_code == 200 and "Internt." not in text(response)


def _the_goals_follow_up(world):
    """bn_goal: last year's approved judgement, this period's value comment and activity status."""
    Assessment.objects.create(
        goal=world.bn_goal,
        period=world.closed_period,
        judgement=J.PARTLY_MET,
        analysis="Förra året nådde sex av tio skolor målet.",
        state=S.APPROVED,
    )
    IndicatorValue.objects.filter(pk=world.bn_value.pk).update(comment="Mätt före omprovet i augusti.")
    ActivityStatus.objects.create(
        activity=world.bn_activity, period=world.period, status=ActivityStatus.Status.DELAYED,
        comment="Bokbussen kom i september.",
    )  # fmt: skip


def test_the_page_shows_the_judgement_before_the_values_comments_and_the_activities(
    client, world, as_persona
):
    _the_goals_follow_up(world)
    as_persona("reader")
    page = text(client.get(page_url(world, world.bn_goal)))
    before = page[page.index("Föregående bedömning") :]
    assert before.startswith(
        f"Föregående bedömning Årsredovisning {world.closed_period.year} : Delvis uppfyllt "
        "Förra året nådde sex av tio skolor målet."
    )
    assert "Behöriga till gymnasiet 88,0 Mätt före omprovet i augusti." in page
    assert "Läsfrämjande insatser Försenad Bokbussen kom i september." in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_judgement_page_reads_a_fixed_number_of_queries(client, world, as_persona):
    _the_goals_follow_up(world)
    assessment = Assessment.objects.create(goal=world.bn_goal, period=world.period, judgement=J.MET)
    add_comment(assessment, world.users["editor_bn"], "Första.")
    as_persona("controller")
    url = page_url(world, world.bn_goal)
    small = _queries(client, url)
    for n in range(25):
        indicator = factories.IndicatorFactory(goal=world.bn_goal, name=f"Indikator {n}")
        IndicatorValue.objects.create(
            indicator=indicator, period=world.period, total=Decimal(n), comment=f"Not {n}"
        )
        activity = factories.ActivityFactory(goal=world.bn_goal, title=f"Aktivitet {n}")
        ActivityStatus.objects.create(
            activity=activity, period=world.period, status=ActivityStatus.Status.DONE
        )
        add_comment(assessment, world.users["controller" if n % 2 else "editor_bn"], f"Kommentar {n}.")
    assert _queries(client, url) == small
    page = text(client.get(url))
    assert "Not 24" in page and "Aktivitet 24" in page and "Kommentar 24." in page


def test_a_mail_server_that_is_down_does_not_lose_the_comment(client, world, as_persona, addresses, settings):
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    as_persona("editor_bn")
    response = client.post(comment_url(world), {"text": "Skickas trots allt."}, follow=True)
    assert "Kommentaren är skriven." in text(response)
    assert stored(world) == [(world.users["editor_bn"].pk, "Skickas trots allt.")]
    assert not SentMail.objects.exists()  # nothing logged as sent


def test_the_mail_writes_the_goal_and_the_text_as_typed(world, addresses, smtp_inbox):  # noqa: F811
    goal = factories.goal(world.kf_goal, "Skola & fritid <för alla>", owner=world.bn)
    assessment = Assessment.objects.create(goal=goal, period=world.period, judgement=J.MET)
    comment = add_comment(assessment, world.users["editor_bn"], "Se <tabellen> & bilagan.")
    assert notify_comment(comment) == 1
    [message] = smtp_inbox.messages
    assert message["Subject"] == "Ny kommentar till bedömningen av Skola & fritid <för alla>"
    assert "Se <tabellen> & bilagan." in message.get_body(("plain",)).get_content()
    assert "Se &lt;tabellen&gt; &amp; bilagan." in message.get_body(("html",)).get_content()
