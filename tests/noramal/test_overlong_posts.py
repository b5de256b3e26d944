"""A post too long for the server: up to the body limit the form comes back with the text and a Swedish
error; beyond it a Swedish page in the site's layout says what happened (never a bare 400)."""

import pytest
from django.conf import settings
from django.urls import reverse

from followup.models import Assessment
from goals.models import Goal
from goals.textinput import DESCRIPTION_MAX as LONG_TEXT_MAX
from tests.followup.pages import form_fields, text

pytestmark = pytest.mark.django_db


def assessment_url(world):
    return reverse("followup:assessment", args=[world.period.pk, world.bn_goal.pk])


def test_an_analysis_over_the_old_body_limit_comes_back_with_the_text_and_an_error(client, world, as_persona):
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(assessment_url(world)))
    # 3 MB of text: more than Django's default body limit (2.5 MB), within ours.
    long_text = "Analysen är lång. " * 175_000
    fields.update(judgement=Assessment.Judgement.PARTLY_MET, analysis=long_text, save="1")
    response = client.post(assessment_url(world), fields)
    assert response.status_code == 200
    assert response.context["form"]["analysis"].value() == long_text
    # Django's own message, in Swedish: "Säkerställ att detta värde har som mest 50000 tecken (den har …)."
    assert f"som mest {LONG_TEXT_MAX} tecken" in text(response)
    assert not Assessment.objects.filter(goal=world.bn_goal).exists()


def test_a_post_over_the_body_limit_gets_a_swedish_page_in_the_site_layout(client, world, as_persona):
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(assessment_url(world)))
    fields.update(judgement=Assessment.Judgement.PARTLY_MET, save="1")
    fields["analysis"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(assessment_url(world), fields)
    assert response.status_code == 413
    page = text(response)
    assert "för stort" in page and "bakåtknapp" in page
    assert "base.html" in [t.name for t in response.templates]  # the site's own layout
    assert "Hoppa till innehållet" in page
    assert not Assessment.objects.filter(goal=world.bn_goal).exists()


def test_a_large_values_sheet_is_taken_and_a_flood_of_fields_gets_the_swedish_page(client, world, as_persona):
    as_persona("editor_bn")
    url = assessment_url(world)
    fields, _ = form_fields(client.get(url))
    fields.update(judgement=Assessment.Judgement.PARTLY_MET, analysis="Kort.", save="1")
    # More fields than Django's default 1 000, as a large board's sheet has: taken.
    padded = {**fields, **{f"extra-{n}": "1" for n in range(1500)}}
    assert client.post(url, padded).status_code == 302
    assert Assessment.objects.get(goal=world.bn_goal).analysis == "Kort."
    flood = {**fields, **{f"extra-{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    response = client.post(url, flood)
    assert response.status_code == 413
    assert "för många fält" in text(response)


def test_a_goal_description_over_the_cap_is_refused_and_kept(client, world, as_persona):
    as_persona("editor_bn")
    goal = Goal.objects.get(pk=world.bn_goal.pk)
    url = reverse("goals:goal_edit", args=[goal.pk])
    fields, _ = form_fields(client.get(url))
    fields["description"] = "ord " * (LONG_TEXT_MAX // 4 + 1)
    response = client.post(url, fields)
    assert response.status_code == 200
    assert response.context["form"]["description"].value() == fields["description"]
    goal.refresh_from_db()
    assert len(goal.description) < LONG_TEXT_MAX
