"""Hostile text: pathological Markdown, overlong text, control characters in forms, files and exports."""

import csv
import io
import json
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from followup import opendata, spreadsheet
from followup.models import IndicatorValue
from goals import goalfile
from goals.models import Goal
from goals.textinput import DESCRIPTION_MAX
from tests import factories
from tests.followup.pages import form_fields

pytestmark = pytest.mark.django_db


def test_sixteen_kilobytes_of_brackets_in_a_description_render_on_the_public_goal_page(client, world):
    # Python-Markdown backtracked on this for about 50 s of CPU per render; markdown-it is linear.
    Goal.objects.filter(pk=world.bn_goal.pk).update(description="[" * 16_000)
    response = client.get(reverse("goals:detail", args=[world.bn_goal.pk]))
    assert response.status_code == 200
    assert "[" * 100 in response.content.decode()


def goal_form(world, **fields):
    return {"title": world.bn_goal.title, "owner": world.bn.pk, **fields}


def test_a_description_longer_than_the_cap_is_refused_with_a_message(as_persona, world):
    client = as_persona("editor_bn")
    url = reverse("goals:goal_edit", args=[world.bn_goal.pk])
    response = client.post(url, goal_form(world, description="x" * (DESCRIPTION_MAX + 1)))
    assert response.status_code == 200
    assert str(DESCRIPTION_MAX) in " ".join(response.context["form"].errors["description"]).replace(
        "\xa0", ""
    )
    assert Goal.objects.get(pk=world.bn_goal.pk).description == ""


@pytest.mark.parametrize(("field", "text"), [("title", "Mål\x0bett"), ("description", "Text\x00")])
def test_a_control_character_in_a_goal_is_refused_at_the_field(as_persona, world, field, text):
    client = as_persona("editor_bn")
    before = Goal.objects.values_list("title", "description").get(pk=world.bn_goal.pk)
    response = client.post(
        reverse("goals:goal_edit", args=[world.bn_goal.pk]), goal_form(world, **{field: text})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Goal.objects.values_list("title", "description").get(pk=world.bn_goal.pk) == before


def test_line_breaks_and_tabs_stay_allowed_in_a_description(as_persona, world):
    client = as_persona("editor_bn")
    url = reverse("goals:goal_edit", args=[world.bn_goal.pk])
    assert client.post(url, goal_form(world, description="Ett\r\n\tTvå")).status_code == 302
    assert Goal.objects.get(pk=world.bn_goal.pk).description == "Ett\r\n\tTvå"


def test_a_control_character_in_an_activity_is_refused(as_persona, world):
    client = as_persona("editor_bn")
    url = reverse("goals:activity_edit", args=[world.bn_activity.pk])
    response = client.post(url, {"title": "Läs\x01", "owner": world.bn.pk})
    assert response.status_code == 200 and response.context["form"].errors["title"]


def test_a_control_character_in_a_value_comment_is_refused(client, world):
    client.force_login(world.users["editor_bn"])
    url = reverse("followup:values", args=[world.period.pk, world.bn.pk])
    fields, _inputs = form_fields(client.get(url))
    fields[f"r{world.bn_indicator.pk}-comment"] = "Bra\x01år"
    response = client.post(url, fields)
    assert response.status_code == 200
    assert not IndicatorValue.objects.filter(period=world.period, comment__contains="Bra").exists()


def test_an_overlong_analysis_is_refused(client, world):
    client.force_login(world.users["editor_bn"])
    url = reverse("followup:assessment", args=[world.period.pk, world.bn_goal.pk])
    fields, _inputs = form_fields(client.get(url))
    fields.update(judgement="partly_met", analysis="x" * 20_001, save="1")
    response = client.post(url, fields)
    assert response.status_code == 200
    assert 'id="id_analysis_error"' in response.content.decode()


# --- The goal file ----------------------------------------------------------------------------------------


def nora_document():
    return json.loads(goalfile.dumps(goalfile.export_document()))


def test_a_control_character_in_a_goal_file_is_refused_with_its_place(world):
    doc = nora_document()
    doc["goals"][0]["description"] = "Nora\x01"
    with pytest.raises(goalfile.GoalFileError) as error:
        goalfile.read(json.dumps(doc))
    assert error.value.path == "goals[0].description"


def test_an_overlong_description_in_a_goal_file_is_refused(world):
    doc = nora_document()
    doc["goals"][0]["description"] = "x" * (DESCRIPTION_MAX + 1)
    with pytest.raises(goalfile.GoalFileError) as error:
        goalfile.read(json.dumps(doc))
    assert error.value.path == "goals[0].description"


def test_a_deeply_nested_goal_file_is_refused_with_a_message():
    with pytest.raises(goalfile.GoalFileError) as error:
        goalfile.read('{"vision": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "64" in error.value.message


# --- Exports of rows stored before the rule -----------------------------------------------------------


@pytest.fixture
def dirty(world):
    """A closed period whose rows hold control characters (written before they were refused)."""
    closed = world.closed_period
    Goal.objects.filter(pk=world.bn_goal.pk).update(title="Mål\x0bett")
    IndicatorValue.objects.update_or_create(
        indicator=world.bn_indicator, period=closed, defaults={"total": 80, "comment": "Bra\x01år"}
    )
    IndicatorValue.objects.update_or_create(
        indicator=world.bn_indicator, period=world.period, defaults={"total": 81, "comment": "Nu\x01"}
    )
    return closed


def test_excel_exports_of_rows_with_control_characters_work_and_drop_them(client, world, dirty):
    client.force_login(world.users["controller"])
    response = client.get(reverse("reports:xlsx", args=[dirty.pk, "annual"]))
    assert response.status_code == 200
    titles = [row[2] for row in load_workbook(BytesIO(response.content))["Mål"].iter_rows(values_only=True)]
    assert "Målett" in titles
    values = spreadsheet.workbook(world.bn, world.period, export=True)
    comments = [row[11] for row in load_workbook(BytesIO(values)).worksheets[0].iter_rows(values_only=True)]
    assert "Nu" in comments


def test_csv_exports_drop_control_characters_and_defuse_every_formula_start(world, dirty):
    for number, start in enumerate(("=", "+", "-", "@", "\t", "\r")):
        factories.IndicatorFactory(goal=world.bn_goal, name=f"{start}SUM(A{number})")
    rows = list(csv.DictReader(io.StringIO(opendata.published_csv())))
    names = {row["indicator"] for row in rows}
    for number, start in enumerate(("=", "+", "-", "@", "\t", "\r")):
        assert f"'{start}SUM(A{number})" in names
    assert "Målett" in {row["goal"] for row in rows}
    values = spreadsheet.csv_text(world.bn, world.period, export=True)
    assert "\x01" not in values and "\x0b" not in values and "'=SUM(A0)" in values
