"""A value sheet row as the editor sees it: the indicator and its facts, the box of a conflicting save with
who saved what and when (in Swedish time), the inputs, and the line of who saved the value last; all text
from people and indicators shown as text."""

import re
from datetime import UTC, datetime
from decimal import Decimal as D

from django.test import Client
from django.urls import reverse

from followup.models import IndicatorValue
from tests import factories
from tests.followup.pages import form_fields, text

NBSP = "\xa0"


def url(world):
    return reverse("followup:values", args=[world.period.pk, world.bn.pk])


def row_html(response, indicator):
    """The fieldset of the indicator's row on the page."""
    found = re.search(
        rf'<fieldset class="([^"]*)" id="indicator-{indicator.pk}">(.*?)</fieldset>',
        response.content.decode(),
        re.S,
    )
    assert found, f"no row for indicator {indicator.pk}"
    return found[1], found[2]


def row_text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_conflicting_save_is_shown_in_the_row_with_who_when_and_their_values(world, as_persona):
    indicator = factories.IndicatorFactory(
        goal=world.bn_goal, name='Andel <b>"nöjda"</b> & co', unit="%", decimals=1, gender_split=True
    )
    bo = world.users["controller"]
    bo.first_name, bo.last_name = "Bo", "Berg & <Son>"
    bo.save()
    anna, other = as_persona("editor_bn", Client()), as_persona("controller", Client())
    anna_fields, _ = form_fields(anna.get(url(world)))
    bo_fields, _ = form_fields(other.get(url(world)))
    bo_fields.update(
        {f"r{indicator.pk}-{n}": v for n, v in (("total", "89"), ("women", "45,5"), ("men", "43,5"))}
    )
    bo_fields[f"r{indicator.pk}-comment"] = "Enligt <i>enkäten</i>"
    assert other.post(url(world), bo_fields).status_code == 302
    # Bo saved on 1 March 2026 at 11:05 UTC: 12:05 in Sweden.
    IndicatorValue.objects.filter(indicator=indicator, period=world.period).update(
        updated_at=datetime(2026, 3, 1, 11, 5, tzinfo=UTC)
    )

    anna_fields[f"r{indicator.pk}-total"] = "12,5"
    response = anna.post(url(world), anna_fields)
    assert response.status_code == 409
    classes, html = row_html(response, indicator)
    assert classes == "sheet-row sheet-row--conflict"
    assert "<legend>Andel &lt;b&gt;&quot;nöjda&quot;&lt;/b&gt; &amp; co" in html
    assert (
        "Bo Berg &amp; &lt;Son&gt; sparade det här värdet 2026-03-01 12:05, efter att du öppnade sidan."
        in html
    )
    their = "Sparat värde: 89,0 (kvinnor 45,5, män 43,5). Kommentar: Enligt &lt;i&gt;enkäten&lt;/i&gt;"
    assert their in row_text(html)
    assert "<span data-conflict-total>89,0</span>" in html
    # Anna's typing is kept in the row, and the row says who saved last.
    _, inputs = form_fields(response)
    assert inputs[f"r{indicator.pk}-total"]["value"] == "12,5"
    assert "Senast sparat 2026-03-01 12:05 av Bo Berg &amp; &lt;Son&gt; (Inmatat)." in html
    assert IndicatorValue.objects.get(indicator=indicator, period=world.period).total == D("89")


def test_a_row_shows_the_earlier_years_the_target_and_the_direction(client, world, as_persona):
    as_persona("editor_bn")
    response = client.get(url(world))
    classes, html = row_html(response, world.bn_indicator)
    assert classes == "sheet-row"
    facts = re.search(r'<dl class="sheet-facts">(.*?)</dl>', html, re.S)[1]
    terms = re.findall(r"<dt>([^<]*)</dt>", facts)
    year = world.period.year
    assert terms == [str(year - 3), str(year - 2), str(year - 1), f"Målvärde {year}", "Riktning"]
    assert "sheet-conflict" not in html
    assert world.bn_indicator.get_direction_display() in row_text(facts)
    assert f"Målvärde {year}" in text(response)
