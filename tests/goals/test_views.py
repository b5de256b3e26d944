import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from goals import chain, tree, treecache
from goals.goalfile import import_document
from goals.models import Assignment, Category, Goal, GoalLevel
from goals.synthetic import synthetic_document
from tests import factories

NBSP = "\xa0"


class PageText(HTMLParser):
    """Collect what a reader sees, plus the goal tree's links with their depth in nested lists."""

    NESTING = {"ul", "ol", "li", "details", "summary"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks, self.tree_links, self.highlighted, self.stack = [], [], [], []
        self.ul_depth, self.in_tree_link, self.link_text, self.link_hidden = 0, False, [], 0
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "title"):
            self.skip += 1
        if tag in self.NESTING:
            self.stack.append(tag)
        if tag == "ul":
            self.ul_depth += 1
        if tag == "a" and "goal-node__title" in (attrs.get("class") or ""):
            self.in_tree_link, self.link_text = True, []
        if self.in_tree_link and tag == "mark":
            self.highlighted.append(len(self.tree_links))
        if self.in_tree_link and tag == "span":
            self.link_hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self.skip -= 1
        if tag in self.NESTING:
            assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
            self.stack.pop()
        if tag == "ul":
            self.ul_depth -= 1
        if self.in_tree_link and tag == "span":
            self.link_hidden -= 1
        if tag == "a" and self.in_tree_link:
            self.tree_links.append((self.ul_depth, " ".join("".join(self.link_text).split())))
            self.in_tree_link = False

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)
        # Inside a tree link only the title counts; a hidden span tells screen readers that it matched.
        if self.in_tree_link and not self.link_hidden:
            self.link_text.append(data)

    @property
    def matches(self):
        """Titles the tree highlights as matching its filter."""
        return [self.tree_links[i][1] for i in self.highlighted]

    @property
    def text(self):
        return " ".join(" ".join(self.chunks).split())


def read(response):
    """Parse a page, checking that its lists nest properly."""
    assert response.status_code == 200
    page = PageText()
    page.feed(response.content.decode())
    page.close()
    assert page.stack == [], f"unclosed {page.stack}"
    return page


@pytest.fixture
def nora(db, council, bn, ks):
    """A small slice of Nora's chain with one fully described board goal."""
    hallbarhet = factories.perspective(
        name="Hållbarhet", description="Långsiktigt hållbar utveckling.", position=1
    )
    livskvalitet = factories.perspective(
        name="Livskvalitet", description="God livskvalitet för alla.", position=2
    )
    attraktivitet = factories.perspective(
        name="Attraktivitet", description="Livskraftigt näringsliv.", position=3
    )
    vision = factories.goal(
        None,
        "Nora – en plats för framtiden",
        description="Nora ska vara en plats där **drömmen** är verklig.",
    )
    overarching = factories.goal(vision, "13 000 invånare år 2030", description="Det övergripande målet.")
    kf_children = factories.goal(
        overarching,
        "Nora kommun fokuserar på alla barns kunskapsutveckling",
        decision="KF § 49 2020-06-10",
        valid_from=2023,
        valid_to=2030,
        categories=[livskvalitet, attraktivitet],
    )
    kf_climate = factories.goal(
        overarching, "Nora kommun ska vara klimat- och miljövänlig", valid_to=2030, categories=[hallbarhet]
    )
    bn_goal = factories.goal(
        kf_children,
        "Satsa på tillgängliga lärmiljöer",
        owner=bn,
        decision="BN § 12 2024-02-01",
        description="Tidiga insatser.\n\n<script>alert(1)</script>",
    )
    ks_goal = factories.goal(kf_climate, "Energieffektiva lokaler", owner=ks)
    safe = factories.IndicatorFactory(goal=bn_goal, name="Andel elever som känner sig trygga", decimals=1)
    factories.TargetFactory(indicator=safe, year=2026, value=Decimal("92.5"), tolerance=Decimal("2.5"))
    factories.TargetFactory(indicator=safe, year=2027, value=Decimal("93"), tolerance=Decimal("2"))
    residents = factories.IndicatorFactory(
        goal=bn_goal, name="Invånare totalt", unit="antal", kolada_kpi="N01951", gender_split=True
    )
    factories.TargetFactory(indicator=residents, year=2030, value=Decimal("13000"), tolerance=Decimal("250"))
    factories.ActivityFactory(
        goal=bn_goal,
        title="Ta fram gemensam rutin för samverkan mellan skola och IFO",
        responsible="Rektor",
        start_date=datetime.date(2026, 1, 15),
        end_date=datetime.date(2026, 8, 31),
        description="Med *socialtjänsten*.",
    )
    return {
        "vision": vision,
        "overarching": overarching,
        "kf_children": kf_children,
        "kf_climate": kf_climate,
        "bn_goal": bn_goal,
        "ks_goal": ks_goal,
        "livskvalitet": livskvalitet,
    }


# The start page


def test_start_page_shows_vision_overarching_goal_perspectives_and_council_goals(client, nora):
    response = client.get(reverse("goals:home"))
    page = read(response)
    assert "Nora ska vara en plats där drömmen är verklig." in page.text
    assert "<strong>drömmen</strong>" in response.content.decode()
    assert "13 000 invånare år 2030" in page.text
    for name, description in [
        ("Hållbarhet", "Långsiktigt hållbar utveckling."),
        ("Livskvalitet", "God livskvalitet för alla."),
        ("Attraktivitet", "Livskraftigt näringsliv."),
    ]:
        assert f"{name} {description}" in page.text
    html = response.content.decode()
    for goal in (nora["kf_children"], nora["kf_climate"]):
        assert f'<a href="{goal.get_absolute_url()}">{goal.title}</a>' in html
    assert (
        "Nora kommun fokuserar på alla barns kunskapsutveckling "
        "Kategorier: Perspektiv: Livskvalitet Perspektiv: Attraktivitet" in page.text
    )
    assert "Nora kommun ska vara klimat- och miljövänlig Kategorier: Perspektiv: Hållbarhet" in page.text
    # The categories' section is headed by their set's name.
    assert "Perspektiv Hållbarhet Långsiktigt hållbar utveckling." in page.text
    # Board goals belong to the tree, not to the start page.
    assert "Satsa på tillgängliga lärmiljöer" not in page.text


def test_start_page_on_empty_database_says_no_chain_is_loaded(client, db):
    page = read(client.get(reverse("goals:home")))
    assert "Ingen målkedja är inläst ännu" in page.text


def test_start_page_runs_few_queries(client, nora, django_assert_max_num_queries):
    overarching = Goal.objects.get(title="13 000 invånare år 2030")
    # The top goals' indicators, targets, values and judgements, the headline goals' latest judgements and
    # their summary (the periods, then their judgements): constant at any size.
    for n in range(4):
        indicator = factories.IndicatorFactory(goal=overarching, name=f"Topp {n}")
        factories.TargetFactory(indicator=indicator, year=2030, value=Decimal("13000"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("goals:home"))
    assert response.content.decode().count("Topp ") == 4


# Layout and accessibility landmarks


def test_layout_has_skip_link_landmarks_and_swedish_language(client, nora):
    html = client.get(reverse("goals:home")).content.decode()
    assert '<html lang="sv">' in html
    assert re.search(r'<a class="skip-link[^"]*" href="#content">Hoppa till innehållet</a>', html)
    assert '<main id="content"' in html
    assert "<header" in html and "<footer" in html
    assert '<nav class="site-nav" aria-label="Huvudmeny">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "Nora kommun" in html and "Noramål" in html
    assert ">Målkedjan</a>" in html
    assert 'aria-current="page">Start</a>' in html


def test_pages_have_no_inline_scripts_or_styles(client, nora):
    for url in (reverse("goals:home"), reverse("goals:tree"), nora["bn_goal"].get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<script " not in html.replace("<script src=", "")
        assert " style=" not in html and "<style" not in html


# The goal tree


def test_tree_shows_every_goal_nested_in_order(client, nora):
    page = read(client.get(reverse("goals:tree")))
    assert page.tree_links == [
        (1, "Nora – en plats för framtiden"),
        (2, "13 000 invånare år 2030"),
        (3, "Nora kommun fokuserar på alla barns kunskapsutveckling"),
        (4, "Satsa på tillgängliga lärmiljöer"),
        (3, "Nora kommun ska vara klimat- och miljövänlig"),
        (4, "Energieffektiva lokaler"),
    ]
    assert "6 mål." in page.text


def test_tree_nodes_show_level_owner_indicators_and_collapsible_children(client, nora):
    html = client.get(reverse("goals:tree")).content.decode()
    page = read(client.get(reverse("goals:tree")))
    assert "Nämndmål Satsa på tillgängliga lärmiljöer Ägare: BN 2 indikatorer" in page.text
    assert "KF-mål Nora kommun ska vara klimat- och miljövänlig Ägare: KF 0 indikatorer" in page.text
    # Goals with sub-goals get a native disclosure, open by default; leaves get none.
    assert html.count("<details open") == 4
    assert '<summary>1 delmål<span class="visually-hidden">: Energieffektiva lokaler' not in html
    assert "<summary>2 delmål" in html


def _folds(html):
    """The level labels of the goals whose child list folds on a phone."""
    return re.findall(
        r'goal-node__level">([^<]+)</span>(?:(?!<li).)*<details open data-fold-on-phone>', html, re.S
    )


def test_tree_folds_on_a_phone_from_the_styrmodells_headline_level(client, nora):
    html = client.get(reverse("goals:tree")).content.decode()
    # KF-mål is the default headline level: the vision and the overarching goal stay open on a phone.
    assert html.count("<details open>") == 2
    assert set(_folds(html)) == {"KF-mål"}
    GoalLevel.objects.filter(key="council").update(is_headline=False)
    GoalLevel.objects.filter(key="overarching").update(is_headline=True)
    chain.forget()
    treecache.changed()
    html = client.get(reverse("goals:tree")).content.decode()
    assert html.count("<details open>") == 1
    assert set(_folds(html)) == {"Övergripande mål", "KF-mål"}


def test_tree_category_filter_shows_matching_council_goal_with_ancestors(client, nora):
    url = reverse("goals:tree") + f"?kategori={nora['livskvalitet'].pk}"
    page = read(client.get(url))
    titles = [title for _, title in page.tree_links]
    assert titles == [
        "Nora – en plats för framtiden",
        "13 000 invånare år 2030",
        "Nora kommun fokuserar på alla barns kunskapsutveckling",
        "Satsa på tillgängliga lärmiljöer",
    ]
    assert "Nora kommun ska vara klimat- och miljövänlig" not in page.text
    assert "2 mål matchar filtret" in page.text
    assert (
        f'<option value="{nora["livskvalitet"].pk}" selected>Livskvalitet</option>'
        in client.get(url).content.decode()
    )


def test_tree_board_filter_shows_board_goals_not_other_boards(client, nora, bn):
    unit = factories.OrganisationFactory(code="BN-SKOLA", name="Skolan", kind="unit", parent=bn)
    factories.goal(nora["bn_goal"], "Verksamhetsmål för skolan", owner=unit)
    url = reverse("goals:tree") + "?namnd=BN"
    page = read(client.get(url))
    titles = [title for _, title in page.tree_links]
    assert "Satsa på tillgängliga lärmiljöer" in titles
    assert "Verksamhetsmål för skolan" in titles
    assert "Nora kommun fokuserar på alla barns kunskapsutveckling" in titles
    assert "Energieffektiva lokaler" not in page.text
    assert "Nora kommun ska vara klimat- och miljövänlig" not in page.text
    assert "2 mål matchar filtret" in page.text


@pytest.mark.parametrize("kind", ["administration", "company"])
def test_tree_filter_offers_administrations_and_companies_that_answer_for_goals(client, nora, kind):
    GoalLevel.objects.filter(key="board").update(
        owner_kinds=["board", "committee", "administration", "company"]
    )
    chain.forget()
    owner = factories.OrganisationFactory(code="SBF", name="Samhällsbyggnadsförvaltningen", kind=kind)
    factories.goal(nora["kf_climate"], "Fossilfria arbetsmaskiner", owner=owner)
    assert 'value="SBF"' in client.get(reverse("goals:tree")).content.decode()
    page = read(client.get(reverse("goals:tree") + "?namnd=SBF"))
    titles = [title for _, title in page.tree_links]
    assert "Fossilfria arbetsmaskiner" in titles
    assert "Satsa på tillgängliga lärmiljöer" not in titles


def test_tree_combined_filters_narrow_to_goals_matching_both(client, nora):
    hallbarhet = Category.objects.get(name="Hållbarhet")
    page = read(client.get(reverse("goals:tree") + f"?kategori={hallbarhet.pk}&namnd=KS"))
    assert [t for _, t in page.tree_links][-1] == "Energieffektiva lokaler"
    assert "Satsa på tillgängliga lärmiljöer" not in page.text
    assert "1 mål matchar filtret" in page.text


def test_tree_filter_form_has_labelled_selects(client, nora):
    html = client.get(reverse("goals:tree")).content.decode()
    assert '<label class="form-label" for="filter-category">Kategori</label>' in html
    assert '<select class="form-select" id="filter-category" name="kategori">' in html
    assert '<optgroup label="Perspektiv">' in html
    assert '<label class="form-label" for="filter-board">Nämnd</label>' in html
    assert '<select class="form-select" id="filter-board" name="namnd">' in html
    assert ">Filtrera</button>" in html


def test_tree_ignores_unknown_filter_values(client, nora):
    page = read(client.get(reverse("goals:tree") + "?kategori=abc&namnd=XX"))
    assert len(page.tree_links) == 6
    assert "6 mål." in page.text


def test_tree_filter_without_matches_says_so(client, nora):
    factories.board("MBN", "Miljö- och byggnadsnämnden")
    page = read(client.get(reverse("goals:tree") + "?namnd=MBN"))
    assert page.tree_links == []
    assert "Inget mål matchar filtret." in page.text


def test_tree_on_empty_database(client, db):
    page = read(client.get(reverse("goals:tree")))
    assert "Ingen målkedja är inläst ännu." in page.text


# One goal's page


def test_goal_page_shows_breadcrumb_facts_targets_and_activities(client, nora):
    response = client.get(nora["bn_goal"].get_absolute_url())
    page = read(response)
    html = response.content.decode()
    breadcrumb = re.search(
        r'<nav aria-label="Brödsmulor">\s*<ol class="breadcrumb">(.*?)</ol>', html, re.S
    ).group(1)
    for ancestor in ("vision", "overarching", "kf_children"):
        goal = nora[ancestor]
        assert f'<a href="{goal.get_absolute_url()}">{goal.title}</a>' in breadcrumb
    assert 'aria-current="page">Satsa på tillgängliga lärmiljöer</li>' in breadcrumb
    assert "Nämndmål Satsa på tillgängliga lärmiljöer" in page.text
    assert "Ägare Bildningsnämnden (BN)" in page.text
    assert "Beslut BN § 12 2024-02-01" in page.text
    assert "Tidiga insatser." in page.text
    # Indicators: their facts and a target table in Swedish number format.
    assert "Andel elever som känner sig trygga Enhet % Riktning Högre är bättre" in page.text
    assert "Kolada-nyckeltal N01951" in page.text
    assert "Könsuppdelad Ja: totalt, kvinnor och män" in page.text
    assert "2026 ≥ 92,5 2,5" in page.text  # a target as written: "at least" for higher-is-better
    assert "2027 ≥ 93,0 2,0" in page.text
    assert "2030 ≥ 13 000 250" in page.text
    assert f'<td class="num">≥ 13{NBSP}000</td>' in html  # a no-break space keeps the number on one line
    # Activities with ISO dates.
    assert "Ta fram gemensam rutin för samverkan mellan skola och IFO" in page.text
    assert "Ansvarig Rektor" in page.text
    assert (
        '<time datetime="2026-01-15">2026-01-15</time> – <time datetime="2026-08-31">2026-08-31</time>'
        in html
    )
    assert "<em>socialtjänsten</em>" in html


def test_goal_page_description_markdown_is_sanitised(client, nora):
    html = client.get(nora["bn_goal"].get_absolute_url()).content.decode()
    assert "alert(1)" not in html


def test_council_goal_page_shows_decision_validity_perspectives_and_children(client, nora):
    page = read(client.get(nora["kf_children"].get_absolute_url()))
    assert "Beslut KF § 49 2020-06-10" in page.text
    assert "Gäller 2023–2030" in page.text
    assert "Kategorier Perspektiv: Livskvalitet Perspektiv: Attraktivitet" in page.text
    assert "Delmål Nämndmål Satsa på tillgängliga lärmiljöer" in page.text


def test_goal_valid_only_to_a_year_says_until(client, nora):
    page = read(client.get(nora["kf_climate"].get_absolute_url()))
    assert "Gäller till 2030" in page.text


def test_unknown_goal_is_404(client, db):
    assert client.get(reverse("goals:detail", args=[999999])).status_code == 404


def test_goal_page_runs_constant_queries(client, nora, django_assert_max_num_queries):
    # The styrmodell's levels; the goal's categories and its indicators' categories; the assignments; the
    # latest judgements of the goal and its sub-goals; its story (periods, judgements, its indicators'
    # values); the indicators' latest values.
    with django_assert_max_num_queries(16):
        client.get(nora["bn_goal"].get_absolute_url())
    for n in range(5):
        indicator = factories.IndicatorFactory(goal=nora["bn_goal"], name=f"Extra {n}")
        for year in (2025, 2026, 2027):
            factories.TargetFactory(indicator=indicator, year=year)
        factories.ActivityFactory(goal=nora["bn_goal"])
        Assignment.objects.create(goal=nora["bn_goal"], title=f"Uppdrag {n}", owner=nora["bn_goal"].owner)
    with django_assert_max_num_queries(16):
        response = client.get(nora["bn_goal"].get_absolute_url())
    assert response.content.decode().count('class="assignment"') == 5


# Escaping


def test_titles_are_escaped_everywhere(client, nora):
    evil = "<script>alert(1)</script>"
    goal = tree.update_goal(nora["kf_climate"], title=evil)
    for url in (reverse("goals:home"), reverse("goals:tree"), goal.get_absolute_url()):
        html = client.get(url).content.decode()
        assert evil not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Query counts on a large tree


@pytest.mark.parametrize("goal_count", [20, 2000])
def test_tree_page_query_count_does_not_grow_with_the_tree(
    client, db, goal_count, django_assert_max_num_queries
):
    import_document(synthetic_document(goal_count=goal_count))
    assert Goal.objects.count() == goal_count
    # Rendering: categories, boards, goals, goal-category links, indicator counts, whatever the size,
    # every goal's latest judgement, plus the tree cache's read and write (goals/treecache.py).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("goals:tree"))
    assert len(read(response).tree_links) == goal_count
    # From the cache: categories, boards and one read of the cached list.
    with django_assert_max_num_queries(3):
        assert len(read(client.get(reverse("goals:tree"))).tree_links) == goal_count
    board = Goal.objects.filter(level_kind="board").select_related("owner").first().owner
    with django_assert_max_num_queries(13):
        page = read(client.get(reverse("goals:tree") + f"?namnd={board.code}"))
    assert 0 < len(page.tree_links) < goal_count


def test_tree_html_stays_well_formed_when_a_stored_level_is_wrong(client, nora):
    # A corrupted depth column must not break the page's nesting (check_goal_tree reports the fault).
    Goal.objects.filter(pk=nora["ks_goal"].pk).update(level=7)
    page = read(client.get(reverse("goals:tree")))
    assert len(page.tree_links) == 6
