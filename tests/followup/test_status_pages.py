"""How each goal is going, as each persona sees it: the tree, the start page, goal pages, read views."""

import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import services
from followup.models import Assessment, IndicatorValue, ReportingPeriod
from followup.status import judgements_for
from followup.timeline import compare_same_kind
from tests import factories
from tests.followup.pages import text
from tests.matrix import YEAR

MET, PARTLY, NOT_MET = (
    Assessment.Judgement.MET,
    Assessment.Judgement.PARTLY_MET,
    Assessment.Judgement.NOT_MET,
)


def approve_in_open_period(world, goal, judgement, analysis="Analysen."):
    """State and approve a judgement of `goal` in the world's open period, through the services."""
    controller = world.users["controller"]
    services.save_assessment(world.period, goal, judgement=judgement, analysis=analysis, by=controller)
    services.submit_assessment(world.period, goal, by=controller)
    services.approve_assessment(world.period, goal, by=world.users["admin"])


def closed_judgement(world, goal, judgement, state=Assessment.State.APPROVED, analysis="Året gick bra."):
    """A judgement of the closed annual period (as it was left when the period was closed)."""
    return Assessment.objects.create(
        goal=goal, period=world.closed_period, judgement=judgement, analysis=analysis, state=state
    )


def test_the_public_sees_a_closed_periods_approved_judgement_with_its_period_on_the_goal_page(client, world):
    closed_judgement(world, world.kf_goal, PARTLY, analysis="Kunskapsresultaten steg men inte överallt.")
    page = text(client.get(world.kf_goal.get_absolute_url()))
    assert f"Senaste bedömning: Årsredovisning {YEAR - 1}: Delvis uppfyllt" in page
    assert "Kunskapsresultaten steg men inte överallt." in page  # the analysis, year by year
    html = client.get(world.kf_goal.get_absolute_url()).content.decode()
    # The symbol has its own shape and its words beside it, not only a colour.
    assert 'class="judgement-symbol judgement-symbol--partly_met"' in html
    assert "<path d=" in html  # the triangle


def test_the_public_sees_nothing_of_an_open_period_and_a_reader_sees_it(client, world, as_persona):
    closed_judgement(world, world.kf_goal, MET)
    approve_in_open_period(world, world.kf_goal, NOT_MET, analysis="Prognosen är svag i år.")
    public = text(client.get(world.kf_goal.get_absolute_url()))
    assert f"Senaste bedömning: Årsredovisning {YEAR - 1}: Uppfyllt" in public
    assert f"{YEAR}" not in public.split("Över åren")[1].split("Indikatorer")[0]
    assert "Prognosen är svag i år." not in public
    as_persona("reader")
    staff = text(client.get(world.kf_goal.get_absolute_url()))
    assert f"Senaste bedömning: Delårsrapport per 31 augusti {YEAR}: Bedöms inte uppfyllas" in staff
    assert "Prognosen är svag i år." in staff


def test_a_submitted_judgement_shows_for_users_with_a_role_only_and_a_draft_for_nobody(
    client, world, as_persona
):
    editor = world.users["editor_bn"]
    services.save_assessment(world.period, world.bn_goal, judgement=MET, analysis="", by=editor)
    assert judgements_for(world.users["reader"], [world.bn_goal.pk]) == {}
    services.submit_assessment(world.period, world.bn_goal, by=editor)
    as_persona("reader")
    page = text(client.get(world.bn_goal.get_absolute_url()))
    assert "Bedöms uppfyllas (inlämnad, ännu inte godkänd)" in page
    client.logout()
    assert "Bedöms uppfyllas" not in text(client.get(world.bn_goal.get_absolute_url()))


def test_the_tree_shows_a_judgement_as_soon_as_it_is_approved_and_the_public_once_it_is_closed(
    client, world, as_persona
):
    client.get(reverse("goals:tree"))  # the public's rendering, cached
    as_persona("reader")
    assert "Bedöms inte uppfyllas" not in text(client.get(reverse("goals:tree")))  # cached too
    approve_in_open_period(world, world.ks_goal, PARTLY)
    assert f"Delårsrapport per 31 augusti {YEAR}: Bedöms delvis uppfyllas" in text(
        client.get(reverse("goals:tree"))
    )
    client.logout()
    assert "Bedöms delvis uppfyllas" not in text(client.get(reverse("goals:tree")))
    services.close_period(world.period, by=world.users["controller"])
    assert f"Delårsrapport per 31 augusti {YEAR}: Bedöms delvis uppfyllas" in text(
        client.get(reverse("goals:tree"))
    )


def test_start_page_sums_up_the_headline_level_and_the_forecast_after_it(client, world, as_persona):
    second = factories.goal(world.overarching, "Attraktiv kommun")
    closed_judgement(world, world.kf_goal, MET)
    closed_judgement(world, second, NOT_MET)
    page = text(client.get(reverse("goals:home")))
    assert f"Måluppfyllelse {YEAR - 1}: 1 av 2 KF-mål uppfyllda" in page
    # The counts beside the bar ("Uppfyllt: 1"; the page's text puts a space between its elements).
    assert re.search(r" Uppfyllt ?: 1 ", page) and re.search(r" Ej uppfyllt ?: 1 ", page)
    assert "Prognos" not in page  # the interim period is open: not for the public
    approve_in_open_period(world, second, MET)
    as_persona("reader")
    page = text(client.get(reverse("goals:home")))
    assert f"Prognos Delårsrapport per 31 augusti {YEAR}: 1 av 2 KF-mål bedöms uppfyllas" in page
    assert re.search(r" Ej bedömt ?: 1 ", page)  # the KF goal without a forecast


def test_goal_page_shows_the_judgement_per_period_as_a_row(client, world):
    earlier = ReportingPeriod.objects.create(
        year=YEAR - 1, kind=ReportingPeriod.Kind.INTERIM_AUGUST, state=ReportingPeriod.State.CLOSED
    )
    Assessment.objects.create(goal=world.kf_goal, period=earlier, judgement=PARTLY, state="approved")
    closed_judgement(world, world.kf_goal, MET)
    page = text(client.get(world.kf_goal.get_absolute_url()))
    row = page.split("Bedömning per period")[1]
    assert row.index(f"Delårsrapport per 31 augusti {YEAR - 1}") < row.index(f"Årsredovisning {YEAR - 1}")
    assert "Bedöms delvis uppfyllas" in row and "Uppfyllt" in row


def test_interim_values_are_compared_with_the_same_interim_period_only(client, world, as_persona):
    august_before = ReportingPeriod.objects.create(
        year=YEAR - 1, kind=ReportingPeriod.Kind.INTERIM_AUGUST, state=ReportingPeriod.State.CLOSED
    )
    IndicatorValue.objects.create(indicator=world.bn_indicator, period=august_before, total=D("90"))
    # world: 86.5 in the closed annual period of YEAR - 1, 88 in the open August period of YEAR.
    as_persona("reader")
    page = text(client.get(world.bn_goal.get_absolute_url()))
    august = page.split("Delårsrapport per 31 augusti:")[1]
    # 88 against last August's 90 (lower: worse), not against last year's annual 86,5 (which it beats).
    assert august.startswith(f" {YEAR - 1}: 90,0 · {YEAR}: 88,0. Lägre än {YEAR - 1} (sämre)")
    assert f"Årsredovisning: {YEAR - 1}: 86,5" in page


def test_compare_same_kind_says_better_or_worse_by_the_direction():
    assert (
        compare_same_kind([(2024, D("5")), (2025, None), (2026, D("3"))], True).text
        == "Lägre än 2024 (sämre)"
    )
    assert compare_same_kind([(2025, D("5")), (2026, D("3"))], False).better is True
    assert compare_same_kind([(2025, D("5")), (2026, D("5"))], True).text == "Samma som 2025"
    assert compare_same_kind([(2026, D("5"))], True) is None


def test_reader_sees_the_overview_without_edit_controls(client, world, as_persona):
    as_persona("reader")
    response = client.get(reverse("followup:overview", args=[world.period.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-organisation="BN"' in html
    assert reverse("followup:values", args=[world.period.pk, world.bn.pk]) not in html
    assert reverse("followup:assessments", args=[world.period.pk, world.bn.pk]) in html
    assert "<form" not in html.split('id="content"')[1].replace('action="/konto/logga-ut/"', "")


def test_reader_reads_a_judgement_with_analysis_and_suggestion_but_cannot_approve(client, world, as_persona):
    as_persona("reader")
    response = client.get(reverse("followup:assessment", args=[world.period.pk, world.bn_goal_submitted.pk]))
    page = text(response)
    assert "Tryggheten ökar men inte överallt." in page and "Beräknat förslag" in page
    html = response.content.decode()
    assert 'name="judgement"' not in html
    assert (
        reverse("followup:assessment_approve", args=[world.period.pk, world.bn_goal_submitted.pk]) not in html
    )


def test_reader_follows_the_period_page_to_every_organisations_judgements(client, world, as_persona):
    as_persona("reader")
    html = client.get(reverse("followup:period", args=[world.period.pk])).content.decode()
    for organisation in (world.council, world.bn, world.ks):
        assert reverse("followup:assessments", args=[world.period.pk, organisation.pk]) in html
    assert reverse("followup:overview", args=[world.period.pk]) in html
    assert reverse("followup:values", args=[world.period.pk, world.bn.pk]) not in html


def test_the_public_judgement_page_names_nobody_and_leads_back_to_the_goal(client, world):
    closed_judgement(world, world.bn_goal, MET, analysis="Målet nåddes.")
    Assessment.objects.filter(goal=world.bn_goal).update(approved_by=world.users["controller"])
    response = client.get(reverse("followup:assessment", args=[world.closed_period.pk, world.bn_goal.pk]))
    page = text(response)
    assert response.status_code == 200 and "Målet nåddes." in page
    assert "Controller" not in page
    assert f'href="{reverse("followup:index")}"' not in response.content.decode()


def test_navigation_shows_each_persona_what_it_can_use(client, world, as_persona):
    def nav():
        html = client.get(reverse("goals:home")).content.decode()
        return html.split('class="site-nav"')[1].split("</nav>")[0]

    public = nav()
    assert reverse("goals:tree") in public and f'href="{reverse("followup:index")}"' not in public
    as_persona("reader")
    reader = nav()
    assert reverse("followup:index") in reader and reverse("reports:periods") not in reader
    as_persona("controller")
    assert reverse("reports:periods") in nav()


@pytest.mark.parametrize("persona", [None, "reader"])
def test_status_pages_read_a_fixed_number_of_queries(
    client, world, as_persona, persona, django_assert_max_num_queries
):
    if persona:
        as_persona(persona)
    # Something of every kind from the start: a judgement, an indicator with a value.
    closed_judgement(world, world.kf_goal, MET)
    indicator = factories.IndicatorFactory(goal=world.kf_goal, name="Indikator")
    IndicatorValue.objects.create(indicator=indicator, period=world.closed_period, total=D("3"))

    def counts():
        counted = {}
        for name, url in (
            ("home", reverse("goals:home")),
            ("tree", reverse("goals:tree")),
            ("goal", world.kf_goal.get_absolute_url()),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counted[name] = len(captured)
        return counted

    # Measured the way the second look is: the tree page's kept rendering exists and one change old, so
    # that both go through the same path (goals.treecache renders it again under its lock).
    counts()
    factories.goal(world.kf_goal, "Delmål före")
    before = counts()
    for n in range(12):
        goal = factories.goal(world.overarching, f"KF-mål {n}")
        child = factories.goal(goal, f"Nämndmål {n}", owner=world.bn)
        for target in (goal, child):
            closed_judgement(world, target, MET)
            Assessment.objects.create(goal=target, period=world.period, judgement=PARTLY, state="submitted")
        extra = factories.IndicatorFactory(goal=world.kf_goal, name=f"Indikator {n}")
        IndicatorValue.objects.create(indicator=extra, period=world.closed_period, total=D(n))
        factories.goal(world.kf_goal, f"Delmål {n}", owner=world.ks)
    assert counts() == before
    # The tree page's own (tests/goals/test_views.py), and the session, user and roles of a logged-in one.
    with django_assert_max_num_queries(13 + (3 if persona else 0)):
        client.get(reverse("goals:tree") + "?namnd=KS")
