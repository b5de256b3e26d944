"""The other municipalities' goal files (fixtures/municipalities) import into an empty installation with their
own styrmodell, export byte for byte, show on the pages and count in the annual report."""

import json
from datetime import date

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from followup import services
from followup.models import ReportingPeriod
from goals import goalfile
from goals.categories import this_year
from goals.chain import forget
from goals.models import Goal, GoalLevel
from reports.data import Spec, build_report
from reports.models import Kind
from tests.goals.test_municipality_fixtures import FILES, filled, walk
from tests.goals.test_views import read

pytestmark = pytest.mark.django_db
REPORT_YEAR = 2024


@pytest.fixture(params=FILES, ids=lambda path: path.stem)
def imported(request):
    """A fixture's text and document, imported into an installation without goals."""
    assert not Goal.objects.exists()
    text = request.param.read_text(encoding="utf-8")
    goalfile.import_plan(goalfile.read(text))
    forget()
    return text, filled(json.loads(text))


def test_it_exports_byte_for_byte(imported):
    text, doc = imported
    assert [level["key"] for level in doc["levels"]] == list(
        GoalLevel.objects.order_by("position").values_list("key", flat=True)
    )
    with override_settings(MUNICIPALITY_NAME=doc["municipality"]):
        assert goalfile.dumps(goalfile.export_document()) == text


def _in_force(category_set, name, year):
    category = next(c for c in category_set["categories"] if c["name"] == name)
    return (category.get("valid_from") or year) <= year <= (category.get("valid_to") or year)


def test_its_own_level_names_and_categories_show_on_the_pages(client, imported):
    _text, doc = imported
    levels = {level["key"]: level for level in doc["levels"]}
    headline = levels[doc["headline_level"]]
    assert headline["plural"] in read(client.get(reverse("goals:home"))).text
    # The tree of each year that a goal starts in (the tree of a year shows the goals valid in it).
    years = {goal.get("valid_from") or this_year() for goal, _parent in walk(doc["goals"])}
    trees = {year: read(client.get(reverse("goals:tree") + f"?ar={year}")).text for year in years}
    used = {goal["level"] for goal, _parent in walk(doc["goals"])}
    for key in used:
        assert any(levels[key]["name"] in text for text in trees.values())
    tree = trees.get(this_year()) or read(client.get(reverse("goals:tree"))).text
    sets = {s["key"]: s for s in doc["category_sets"]}
    year = this_year()
    carried = [
        (goal, sets[key]["name"], name, _in_force(sets[key], name, year))
        for goal, _parent in walk(doc["goals"])
        for key, names in goal["categories"].items()
        for name in names
    ]
    assert carried
    # This year's pages show the categories in force this year (Örebro's ended in 2019: none of its).
    for goal, set_name, name, in_force in carried[:3]:
        page = read(client.get(Goal.objects.get(key=goal["key"]).get_absolute_url())).text
        assert levels[goal["level"]]["name"] in page
        assert (f"{set_name}: {name}" in page) == in_force
    for _goal, _set_name, name, in_force in carried:
        if in_force:
            assert name in tree


def test_its_annual_report_counts_its_headline_goals(imported):
    _text, doc = imported
    period = services.create_period(
        year=REPORT_YEAR, kind=ReportingPeriod.Kind.ANNUAL, deadline=date(REPORT_YEAR + 1, 2, 15)
    )
    period = services.close_period(period)
    expected = [
        goal["title"]
        for goal, _parent in walk(doc["goals"])
        if goal["level"] == doc["headline_level"]
        and (goal.get("valid_from") or REPORT_YEAR) <= REPORT_YEAR <= (goal.get("valid_to") or REPORT_YEAR)
    ]
    assert expected
    report = build_report(Spec(Kind.ANNUAL, period))
    assert [section.goal.title for section in report.council_goals] == expected
    plural = next(level["plural"] for level in doc["levels"] if level["key"] == doc["headline_level"])
    assert report.headline_name == next(
        level["name"] for level in doc["levels"] if level["key"] == doc["headline_level"]
    )
    assert f"av {len(expected)} {plural.lower()}" in report.headline or report.headline.startswith(
        f"{len(expected)} "
    )
