"""The top of the chain on the pages: the vision's and the overarching goal's indicators and judgements show
on the start page and on their goal pages (value, target, signal, judgement), as the viewer may see them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from followup.models import Assessment, IndicatorValue
from goals.models import GoalLevel, Indicator, Target
from tests import factories
from tests.followup import pages


def text(response):
    """The page's text with Swedish number spacing (no-break spaces) as plain spaces."""
    return pages.text(response).replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def top(world):
    """Residents on the overarching goal: 10 511 in the closed year, 10 600 in the open period; the
    overarching goal judged partly met in the closed year, met (submitted) in the open one."""
    residents = Indicator.objects.create(
        goal=world.overarching, name="Invånare totalt", unit="antal", decimals=0, owner=world.council
    )
    Target.objects.create(indicator=residents, from_year=2030, to_year=2030, value=13000, tolerance=250)
    Target.objects.create(
        indicator=residents, from_year=world.closed_period.year, to_year=world.period.year, value=10500
    )
    IndicatorValue.objects.create(indicator=residents, period=world.closed_period, total=Decimal("10511"))
    IndicatorValue.objects.create(indicator=residents, period=world.period, total=Decimal("10600"))
    Assessment.objects.create(
        goal=world.overarching, period=world.closed_period, judgement=Assessment.Judgement.PARTLY_MET,
        analysis="Befolkningen växer långsammare än planen.", state=Assessment.State.APPROVED,
    )  # fmt: skip
    Assessment.objects.create(
        goal=world.overarching, period=world.period, judgement=Assessment.Judgement.MET,
        analysis="Prognosen är god.", state=Assessment.State.SUBMITTED,
    )  # fmt: skip
    return residents


def test_a_visitor_sees_the_closed_years_value_target_signal_and_judgement(client, world, top):
    closed = f"Årsredovisning {world.closed_period.year}"
    for url in (reverse("goals:home"), world.overarching.get_absolute_url()):
        page = text(client.get(url))
        assert f"Senaste utfall: 10 511 antal ({closed})" in page, url
        assert "Målvärde: ≥ 10 500 · Grönt: målvärdet är nått" in page
        assert f"Bedömning ({closed}): Delvis uppfyllt" in page
        assert "Befolkningen växer långsammare än planen." in page
        assert "10 600" not in page and "Prognosen är god." not in page  # the open period is not public


def test_a_reader_sees_the_open_periods_value_and_forecast(client, world, top, as_persona):
    as_persona("reader")
    page = text(client.get(world.overarching.get_absolute_url()))
    assert "Senaste utfall: 10 600 antal" in page
    assert "Bedömning (Delårsrapport per 31 augusti" in page and "Prognosen är god." in page


def test_the_pages_use_the_styrmodells_own_level_name(client, world, top):
    level = GoalLevel.objects.get(key=world.overarching.level_kind_id)
    level.name = "Inriktningsmål"
    level.save()
    from goals import chain

    chain.forget()
    assert "Inriktningsmål" in text(client.get(world.overarching.get_absolute_url()))


def test_a_top_indicator_without_a_value_says_so_with_its_next_target(client, world):
    vision_indicator = factories.IndicatorFactory(goal=world.vision, name="Nöjd region-index", unit="index")
    Target.objects.create(indicator=vision_indicator, from_year=2030, to_year=2030, value=60)
    page = text(client.get(reverse("goals:home")))
    assert "Nöjd region-index" in page and "Inget utfall ännu" in page and "≥ 60 (2030)" in page
