"""What an editor sees on the value and activity sheets after a bad input: the message at its field, named by
the input, the labels tied to their inputs, every typed value kept, and the opening values kept too so that
a later good save still writes only what the editor changed."""

import re
from decimal import Decimal as D

from django.urls import reverse

from followup import services
from followup.models import IndicatorValue
from followup.services import ValueEntry
from tests import factories
from tests.followup.pages import form_fields, text


def values_url(world):
    return reverse("followup:values", args=[world.period.pk, world.bn.pk])


def activities_url(world):
    return reverse("followup:activities", args=[world.period.pk, world.bn.pk])


def name(obj, field):
    return f"r{obj.pk}-{field}"


def labels(html):
    """{input id: label text} of the page's <label for=…> elements."""
    return {m[0]: m[1] for m in re.findall(r'<label for="([^"]+)">([^<]*)</label>', html)}


def test_a_bad_number_is_explained_at_its_field_and_everything_typed_is_kept(client, world, as_persona):
    second = factories.IndicatorFactory(goal=world.bn_goal, name="Meritvärde", unit="poäng", decimals=1)
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(values_url(world)))
    bn = world.bn_indicator
    comment = 'Se <b>bilaga</b> & "not 2"'
    fields.update(
        {
            name(bn, "women"): "nittio",
            name(bn, "comment"): comment,
            name(second, "total"): "230,5",
        }
    )
    response = client.post(values_url(world), fields)
    assert response.status_code == 200
    html = response.content.decode()
    again, inputs = form_fields(response)
    # The message sits in a list the input names, and the input says it is invalid; the others do not.
    bad = inputs[name(bn, "women")]
    assert bad["aria-invalid"] == "true" and bad["aria-describedby"] == f"id_{name(bn, 'women')}_error"
    message = re.search(rf'<ul class="errorlist" id="id_{name(bn, "women")}_error"><li>([^<]*)</li>', html)
    assert message and message[1] == "Ange ett tal, till exempel 92,5."
    assert all("aria-invalid" not in inputs[n] for n in (name(bn, "total"), name(second, "total")))
    # Each input has its label, in Swedish.
    tied = labels(html)
    assert tied[f"id_{name(bn, 'women')}"] == "Kvinnor:" and tied[f"id_{name(bn, 'total')}"] == "Totalt:"
    assert tied[f"id_{name(bn, 'comment')}"] == "Kommentar:"
    assert all(f'id="{input_id}"' in html for input_id in tied)
    # What was typed is shown again, as text (the comment's markup is not markup on the page).
    assert again[name(bn, "women")] == "nittio" and again[name(second, "total")] == "230,5"
    assert again[name(bn, "comment")] == comment and "<b>bilaga</b>" not in html
    assert again[name(bn, "total")] == "88,0"  # untouched, as stored
    # The summary at the top names the indicator and the field, and links to the input.
    assert "Inget sparades." in text(response)
    assert (
        f'<a href="#id_{name(bn, "women")}">{bn.name} – Kvinnor</a>: Ange ett tal, till exempel 92,5.' in html
    )
    assert IndicatorValue.objects.filter(indicator=second).count() == 0


def test_after_a_bad_save_the_corrected_save_still_writes_only_what_the_editor_changed(
    client, world, as_persona
):
    second = factories.IndicatorFactory(goal=world.bn_goal, name="Meritvärde", unit="poäng", decimals=1)
    as_persona("editor_bn")
    fields, _ = form_fields(client.get(values_url(world)))
    fields[name(second, "total")] = "nittio"
    refused = client.post(values_url(world), fields)
    assert refused.status_code == 200
    # Meanwhile someone else saves the row the editor did not touch.
    services.save_values(world.period, [ValueEntry(world.bn_indicator.pk, total=D("70"), version=1)])
    again, _ = form_fields(refused)
    # The value the page was opened with, not the one stored since.
    assert again[f"initial-{name(world.bn_indicator, 'total')}"] == "88,0"
    again[name(second, "total")] = "230,5"
    assert client.post(values_url(world), again).status_code == 302
    assert IndicatorValue.objects.get(indicator=world.bn_indicator, period=world.period).total == D("70")
    assert IndicatorValue.objects.get(indicator=second, period=world.period).total == D("230.5")


def test_a_bad_comment_on_the_activity_sheet_keeps_the_chosen_status(client, world, as_persona):
    as_persona("editor_bn")
    fields, inputs = form_fields(client.get(activities_url(world)))
    status, comment = name(world.bn_activity, "status"), name(world.bn_activity, "comment")
    assert inputs[status]["id"] == f"id_{status}"
    fields[status] = "delayed"
    fields[comment] = "x" * 4001
    response = client.post(activities_url(world), fields)
    assert response.status_code == 200
    again, inputs = form_fields(response)
    assert again[status] == "delayed" and again[comment] == "x" * 4001
    assert inputs[comment]["aria-invalid"] == "true"
    assert f'id="id_{comment}_error"' in response.content.decode()
    assert "Försenad" in text(response)  # the statuses are listed by their Swedish names
