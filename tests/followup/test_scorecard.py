"""The scorecard (styrkort): what each persona sees, a board's card, the category filter, symbols with
words, a fixed number of queries, and the print style sheet."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Assessment, ReportingPeriod
from goals import tree
from goals.models import GoalLevel
from tests import factories
from tests.followup.pages import text
from tests.levels import Level
from tests.matrix import YEAR

J = Assessment.Judgement
S = Assessment.State
URL = reverse("followup:scorecard")


class TableReader(HTMLParser):
    """The scorecard table as rows of cell texts (the header row first)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.cell, self.in_table = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "scorecard-table" in (dict(attrs).get("class") or ""):
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif self.in_table and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(response):
    assert response.status_code == 200
    reader = TableReader()
    reader.feed(response.content.decode())
    return reader.rows


def row_of(rows, title):
    return next(row for row in rows if row and row[0] == title)


def judge(goal, period, judgement, state=S.APPROVED):
    return Assessment.objects.create(goal=goal, period=period, judgement=judgement, state=state)


@pytest.fixture
def years(world):
    """Closed periods of six years before the world's open one (the oldest falls off the card)."""
    made = {}
    for year in range(YEAR - 6, YEAR - 1):
        for kind in (ReportingPeriod.Kind.INTERIM_AUGUST, ReportingPeriod.Kind.ANNUAL):
            made[(year, kind)] = ReportingPeriod.objects.create(
                year=year, kind=kind, state=ReportingPeriod.State.CLOSED
            )
    made[(YEAR - 1, ReportingPeriod.Kind.ANNUAL)] = world.closed_period
    return made


def test_the_public_card_has_the_headline_goals_and_the_closed_periods_of_five_years(client, world, years):
    second = factories.goal(world.overarching, "Attraktiv kommun")
    judge(world.kf_goal, world.closed_period, J.PARTLY_MET)
    judge(world.kf_goal, years[(YEAR - 2, ReportingPeriod.Kind.INTERIM_AUGUST)], J.MET)
    judge(second, world.closed_period, J.NOT_MET, state=S.SUBMITTED)  # not approved: not public
    judge(second, world.period, J.MET)  # approved, but the period is open
    rows = table(client.get(URL))
    header = rows[0]
    # Five years, chronological, delår before bokslut; the open period is not the public's.
    assert header[1] == f"{YEAR - 5} Delår augusti" and header[2] == f"{YEAR - 5} Bokslut"
    assert header[-1] == f"{YEAR - 1} Bokslut" and len(header) == 1 + 9
    assert not any(str(YEAR - 6) in cell for cell in header) and not any(str(YEAR) in c for c in header[1:])
    assert [row[0] for row in rows[1:]] == [world.kf_goal.title, second.title]  # the headline level only
    kf = row_of(rows, world.kf_goal.title)
    assert kf[-1] == f"Årsredovisning {YEAR - 1}: Delvis uppfyllt"  # the period said to screen readers
    assert kf[-3] == f"Delårsrapport per 31 augusti {YEAR - 2}: Bedöms uppfyllas"
    assert kf[1] == f"Delårsrapport per 31 augusti {YEAR - 5}: Ej bedömt"
    assert row_of(rows, second.title)[-1] == f"Årsredovisning {YEAR - 1}: Ej bedömt"


def test_a_reader_also_sees_submitted_judgements_and_the_open_period_but_no_draft(
    client, world, years, as_persona
):
    second = factories.goal(world.overarching, "Attraktiv kommun")
    judge(second, world.closed_period, J.NOT_MET, state=S.SUBMITTED)
    judge(world.kf_goal, world.period, J.MET, state=S.DRAFT)
    as_persona("reader")
    rows = table(client.get(URL))
    assert rows[0][-1] == f"{YEAR} Delår augusti"
    assert rows[0][1] == f"{YEAR - 4} Delår augusti"  # still five years: the open one is the last
    assert row_of(rows, second.title)[-2] == (
        f"Årsredovisning {YEAR - 1}: Ej uppfyllt (inlämnad, ännu inte godkänd)"
    )
    assert row_of(rows, world.kf_goal.title)[-1] == f"Delårsrapport per 31 augusti {YEAR}: Ej bedömt"


def test_symbols_carry_their_shape_and_words_and_link_to_the_judgement(client, world):
    judge(world.kf_goal, world.closed_period, J.MET)
    html = client.get(URL).content.decode()
    cell = html.split(
        f'href="{reverse("followup:assessment", args=[world.closed_period.pk, world.kf_goal.pk])}"'
    )
    assert len(cell) == 2, "the cell links to the judgement's public page"
    symbol = cell[1].split("</a>")[0]
    assert 'class="judgement-symbol judgement-symbol--met"' in symbol
    assert "<circle" in symbol and "judgement-symbol__mark" in symbol  # a shape, not only a colour
    assert f'<span class="visually-hidden">Årsredovisning {YEAR - 1}: </span>Uppfyllt</span>' in symbol


def test_a_boards_card_lists_only_its_own_goals_by_level(client, world):
    unit_goal = factories.goal(world.bn_goal, "Läsande elever", owner=world.bn, level_kind=Level.UNIT)
    judge(unit_goal, world.closed_period, J.NOT_MET)
    for value in (world.bn.code, world.bn.code.lower(), str(world.bn.pk)):
        response = client.get(URL, {"namnd": value})
        rows = table(response)
        titles = [row[0] for row in rows[1:]]
        own = [world.bn_goal.title, world.bn_goal_submitted.title]
        assert titles == ["Nämndmål", *own, "Verksamhetsmål", unit_goal.title]
        assert world.ks_goal.title not in titles and world.kf_goal.title not in titles
        assert f"Styrkort: {world.bn.name}" in text(response)
    assert f'<option value="">{world.council.name}</option>' in response.content.decode()
    assert row_of(rows, unit_goal.title)[-1] == f"Årsredovisning {YEAR - 1}: Ej uppfyllt"


def test_the_levels_are_named_by_the_styrmodell(client, world):
    GoalLevel.objects.filter(key=Level.BOARD).update(plural="Delmål för nämnden")
    GoalLevel.objects.filter(key=Level.UNIT).update(plural="Enhetsmål")
    factories.goal(world.bn_goal, "Läsande elever", owner=world.bn, level_kind=Level.UNIT)
    titles = [row[0] for row in table(client.get(URL, {"namnd": "BN"}))[1:]]
    assert titles[0] == "Delmål för nämnden" and titles[3] == "Enhetsmål"


def test_an_unknown_board_or_category_is_said_in_swedish_and_the_councils_card_shown(client, world):
    response = client.get(URL, {"namnd": "XYZ", "kategori": "nonsense"})
    page = text(response)
    assert "Det finns ingen organisation med mål som heter ”XYZ”" in page
    assert "Det finns ingen sådan kategori i år" in page
    assert [row[0] for row in table(response)[1:]] == [world.kf_goal.title]


def test_the_category_filter_keeps_the_goals_of_that_category(client, world):
    livskvalitet = factories.perspective("Livskvalitet")
    hallbarhet = factories.CategoryFactory(set=livskvalitet.set, name="Hållbarhet")
    second = factories.goal(world.overarching, "Attraktiv kommun")
    tree.update_goal(world.kf_goal, categories=[livskvalitet])
    tree.update_goal(second, categories=[hallbarhet])
    response = client.get(URL, {"kategori": livskvalitet.pk})
    assert [row[0] for row in table(response)[1:]] == [world.kf_goal.title]
    assert f'<option value="{livskvalitet.pk}" selected>' in response.content.decode()
    assert "mål i kategorin Livskvalitet" in text(response)


def test_a_goal_outside_its_years_says_so_and_an_ended_one_leaves_the_card(client, world, years):
    late = factories.goal(world.overarching, "Nytt mål", valid_from=YEAR - 2)
    factories.goal(world.overarching, "Avslutat mål", valid_to=YEAR - 7)
    rows = table(client.get(URL))
    assert [row[0] for row in rows[1:]] == [world.kf_goal.title, late.title]
    assert row_of(rows, late.title)[1] == f"– Delårsrapport per 31 augusti {YEAR - 5}: Gällde inte"


def test_without_closed_periods_the_public_is_told_why_the_card_is_empty(client, world):
    ReportingPeriod.objects.filter(pk=world.closed_period.pk).update(state=ReportingPeriod.State.OPEN)
    page = text(client.get(URL))
    assert "Ingen period är stängd ännu" in page


def test_the_print_style_sheet_is_linked_and_asks_for_one_a4_landscape_page(client, world):
    html = client.get(URL).content.decode()
    assert 'href="/static/followup/scorecard.css"' in html
    css = Path(finders.find("followup/scorecard.css")).read_text(encoding="utf-8")
    assert "@page" in css and "size: A4 landscape" in css
    printed = css.split("@media print")[1]
    assert ".site-header" in printed and "display: none" in printed


def test_a_council_of_eleven_goals_prints_on_one_a4_landscape_page(client, world, as_persona):
    """Laid out by WeasyPrint with the print style sheet: Nora's shape, eleven long-titled goals, ten
    periods, every judgement submitted and not yet approved (the longest words a cell has)."""
    from weasyprint import HTML

    from reports.pdf import BASE_URL, StaticOnlyFetcher

    april = ReportingPeriod.objects.create(year=YEAR, kind=ReportingPeriod.Kind.INTERIM_APRIL, state="closed")
    periods = [april, world.period]
    for year in range(YEAR - 4, YEAR):
        for kind in (ReportingPeriod.Kind.INTERIM_AUGUST, ReportingPeriod.Kind.ANNUAL):
            if (year, kind) != (YEAR - 1, ReportingPeriod.Kind.ANNUAL):
                periods.append(ReportingPeriod.objects.create(year=year, kind=kind, state="closed"))
    periods.append(world.closed_period)
    title = "Nora kommun ska vara en kommun {} där invånarna känner tillit, med hållbara tekniska lösningar"
    goals = [world.kf_goal] + [factories.goal(world.overarching, title.format(n)) for n in range(10)]
    for goal in goals:
        for period in periods:
            judge(goal, period, J.PARTLY_MET, state=S.SUBMITTED)
    as_persona("reader")
    html = client.get(URL).content.decode()
    assert len(table(client.get(URL))[0]) == 1 + 10
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    assert not fetcher.refused
    assert len(document.pages) == 1
    page = document.pages[0]
    assert page.width > page.height  # landscape


def test_the_scorecard_is_linked_from_the_menu_the_start_page_and_the_period_pages(client, world, as_persona):
    link = f'href="{URL}"'
    home = client.get(reverse("goals:home")).content.decode()
    assert link in home.split('class="site-nav"')[1].split("</nav>")[0]  # the public's menu too
    assert link in home.split("</header>")[1]  # and the start page itself
    as_persona("reader")
    for url in (
        reverse("followup:index"),
        reverse("followup:period", args=[world.period.pk]),
        reverse("followup:overview", args=[world.period.pk]),
    ):
        page = client.get(url).content.decode()
        assert link in page.split("</header>")[1], url


@pytest.mark.parametrize("persona", [None, "reader"])
@pytest.mark.parametrize("namnd", ["", "BN"])
def test_the_scorecard_reads_a_fixed_number_of_queries(client, world, as_persona, persona, namnd):
    if persona:
        as_persona(persona)
    judge(world.kf_goal, world.closed_period, J.MET)
    judge(world.bn_goal, world.closed_period, J.MET)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"namnd": namnd}).status_code == 200
        return len(captured)

    small = count()
    for n in range(15):
        kf = factories.goal(world.overarching, f"KF-mål {n}")
        board_goal = factories.goal(world.kf_goal, f"Nämndmål {n}", owner=world.bn)
        for goal in (kf, board_goal):
            judge(goal, world.closed_period, J.PARTLY_MET)
            judge(goal, world.period, J.NOT_MET, state=S.SUBMITTED)
    # The header, and the 16 KF goals or BN's 17 goals.
    assert len(table(client.get(URL, {"namnd": namnd}))) == 1 + (17 if namnd else 16)
    assert count() == small
    assert small <= 8 + (3 if persona else 0)
