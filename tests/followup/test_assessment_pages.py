"""Judgement pages: the suggestion beside the judgement, the way draft → submitted → approved, and returns."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from followup import services
from followup.models import Assessment, IndicatorValue, ReportingPeriod
from followup.wording import judgement_choices, judgement_label
from tests import factories
from tests.followup.pages import form_fields, text

J, S = Assessment.Judgement, Assessment.State


def url(world, goal=None, name="followup:assessment"):
    return reverse(name, args=[world.period.pk, (goal or world.bn_goal).pk])


def state(goal):
    return Assessment.objects.filter(goal=goal).values_list("judgement", "state", "analysis").first()


def test_list_shows_each_goal_with_its_suggestion_and_judgement_and_the_legend(client, world, as_persona):
    IndicatorValue.objects.filter(pk=world.bn_value.pk).update(total=92)
    as_persona("editor_bn")
    response = client.get(reverse("followup:assessments", args=[world.period.pk, world.bn.pk]))
    body = response.content.decode()
    assert f'data-goal="{world.bn_goal.pk}"' in body and f'data-goal="{world.bn_goal_submitted.pk}"' in body
    assert f'data-goal="{world.ks_goal.pk}"' not in body
    assert "signal--green" in body  # the BN goal's one indicator is above target
    assert 'id="rule-legend-heading"' in body


def test_goal_page_shows_what_the_suggestion_rests_on(client, world, as_persona):
    as_persona("editor_bn")
    page = text(client.get(url(world)))
    assert "Behöriga till gymnasiet" in page and "88,0" in page and "90,0 ± 5,0" in page


def test_editor_saves_a_draft_then_submits_with_an_analysis(client, world, as_persona):
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(url(world)))
    fields.update(judgement=J.PARTLY_MET, analysis="")
    assert client.post(url(world), {**fields, "save": "1"}).status_code == 302
    assert state(world.bn_goal) == (J.PARTLY_MET, S.DRAFT, "")

    fields, _ = form_fields(client.get(url(world)))
    response = client.post(url(world), {**fields, "submit": "1"})
    assert response.status_code == 200  # an analysis is required unless met
    assert 'id="id_analysis_error"' in response.content.decode()
    assert state(world.bn_goal)[1] == S.DRAFT

    fields, _ = form_fields(response)
    fields["analysis"] = "Andelen behöriga ökar men når inte målet."
    assert client.post(url(world), {**fields, "submit": "1"}).status_code == 302
    assert state(world.bn_goal) == (J.PARTLY_MET, S.SUBMITTED, "Andelen behöriga ökar men når inte målet.")
    # Submitted: no form any more for the board.
    assert form_fields(client.get(url(world)))[0] == {}


def test_controller_approves_a_submitted_judgement(client, world, as_persona):
    as_persona("controller")
    goal = world.bn_goal_submitted
    page = client.get(url(world, goal))
    approve = reverse("followup:assessment_approve", args=[world.period.pk, goal.pk])
    fields, _ = form_fields(page, action=approve)
    assert client.post(approve, fields).status_code == 302
    assessment = Assessment.objects.get(goal=goal)
    assert (assessment.state, assessment.approved_by) == (S.APPROVED, world.users["controller"])


def test_controller_sends_back_with_a_comment_which_the_board_then_sees(client, world, as_persona):
    as_persona("controller")
    goal = world.bn_goal_submitted
    send_back = reverse("followup:assessment_return", args=[world.period.pk, goal.pk])
    fields, _ = form_fields(client.get(url(world, goal)), action=send_back)
    response = client.post(send_back, {**fields, "comment": ""})
    assert response.status_code == 200 and 'id="id_comment_error"' in response.content.decode()
    assert state(goal)[1] == S.SUBMITTED
    assert client.post(send_back, {**fields, "comment": "Beskriv åtgärderna."}).status_code == 302
    assert state(goal)[1] == S.DRAFT
    editor = as_persona("editor_bn", Client())
    response = editor.get(url(world, goal))
    assert "Beskriv åtgärderna." in text(response)
    assert "judgement" in form_fields(response)[0]  # editable again


def test_approving_a_draft_is_refused_with_a_message(client, world, as_persona):
    services.save_assessment(world.period, world.bn_goal, judgement=J.MET, analysis="")
    as_persona("controller")
    response = client.post(reverse("followup:assessment_approve", args=[world.period.pk, world.bn_goal.pk]))
    assert response.status_code == 302
    assert state(world.bn_goal)[1] == S.DRAFT


def test_stale_judgement_is_refused_theirs_shown_and_the_users_text_kept(world, as_persona):
    anna, bo = as_persona("editor_bn", Client()), as_persona("controller", Client())
    anna_fields, _ = form_fields(anna.get(url(world)))
    bo_fields, _ = form_fields(bo.get(url(world)))
    assert (
        bo.post(
            url(world), {**bo_fields, "judgement": J.NOT_MET, "analysis": "Bos analys", "save": "1"}
        ).status_code
        == 302
    )
    response = anna.post(
        url(world), {**anna_fields, "judgement": J.MET, "analysis": "Annas analys", "save": "1"}
    )
    assert response.status_code == 409
    assert state(world.bn_goal) == (J.NOT_MET, S.DRAFT, "Bos analys")
    assert "Bos analys" in text(response)
    again, _ = form_fields(response)
    assert (again["judgement"], again["analysis"], again["version"]) == (J.MET, "Annas analys", "1")
    assert anna.post(url(world), {**again, "save": "1"}).status_code == 302
    assert state(world.bn_goal) == (J.MET, S.DRAFT, "Annas analys")


def test_closed_period_shows_the_judgement_and_refuses_changes(client, world, as_persona):
    services.close_period(world.period)
    as_persona("controller")
    goal = world.bn_goal_submitted
    assert form_fields(client.get(url(world, goal)))[0] == {}
    data = {"judgement": J.MET, "analysis": "x", "version": "1", "save": "1"}
    assert client.post(url(world, goal), data).status_code == 409
    client.post(reverse("followup:assessment_approve", args=[world.period.pk, goal.pk]), {"version": "1"})
    client.post(reverse("followup:assessment_return", args=[world.period.pk, goal.pk]), {"comment": "x"})
    assert state(goal) == (J.PARTLY_MET, S.SUBMITTED, "Tryggheten ökar men inte överallt.")


def test_interim_wording_is_a_forecast_and_annual_wording_the_outcome():
    with translation.override("en"):
        assert str(judgement_label(ReportingPeriod.Kind.INTERIM_AUGUST, J.MET)) == "Expected to be met"
        assert str(judgement_label(ReportingPeriod.Kind.INTERIM_APRIL, J.NOT_MET)) == "Not expected to be met"
        assert str(judgement_label(ReportingPeriod.Kind.ANNUAL, J.MET)) == "Met"
        assert str(judgement_label(ReportingPeriod(kind="annual"), "partly_met")) == "Partly met"
        assert [v for v, _ in judgement_choices("annual")] == [J.MET, J.PARTLY_MET, J.NOT_MET, J.NOT_ASSESSED]


def test_the_form_offers_the_wording_of_the_periods_kind(client, world, as_persona):
    as_persona("editor_bn")
    with translation.override("en"):
        page = text(client.get(url(world), HTTP_ACCEPT_LANGUAGE="en"))
        forecast, outcome = str(judgement_label(world.period, J.MET)), str(judgement_label("annual", J.MET))
    assert forecast in page and f"{outcome} " not in page


@pytest.mark.parametrize("count", [2, 40])
def test_assessment_list_reads_a_fixed_number_of_queries(
    client, world, as_persona, django_assert_max_num_queries, count
):
    for n in range(count):
        goal = factories.goal(world.kf_goal, f"BN-mål {n}", owner=world.bn)
        factories.IndicatorFactory(goal=goal)
    as_persona("editor_bn")
    # Session, user, roles, organisation tree, organisation, period, six for suggestions (one of them last
    # year's values, for "ska öka"), goals, judgements.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("followup:assessments", args=[world.period.pk, world.bn.pk]))
    assert response.content.decode().count("data-goal=") == count + 2
