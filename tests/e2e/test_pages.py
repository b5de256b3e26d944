"""axe-core on the pages the walks do not reach, for each role: every page a person of that role can open.

The walks (test_goal_chain, test_reader_keyboard) go through the chain as people do; this tour adds the
remaining screens with Nora's demo data, so that no page of the app escapes the WCAG 2.1 A/AA check.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from followup.models import Assessment, ReportingPeriod
from goals.models import Activity, Category, Goal, Indicator, Organisation
from tests.levels import Level

# Pages with arguments are found from the data; a page whose URL name does not exist (yet) is skipped.
PUBLIC = [
    ("goals:home", []),
    ("goals:tree", []),
    ("goals:accessibility", []),
    ("reports:published_list", []),
    ("followup:scorecard", []),
    ("login", []),
]


def _pages(role):
    bn = Organisation.objects.get(code="BN")
    bn_goal = Goal.objects.filter(owner=bn, level_kind=Level.BOARD).order_by("tree_id", "lft").first()
    indicator = Indicator.objects.filter(goal__owner=bn).order_by("pk").first()
    activity = Activity.objects.filter(goal__owner=bn).order_by("pk").first()
    open_period = ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).first()
    closed_period = (
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.CLOSED, kind=ReportingPeriod.Kind.ANNUAL)
        .order_by("-year")
        .first()
    )
    council = Goal.objects.filter(level_kind=Level.COUNCIL).first()
    public = Assessment.objects.public().order_by("pk").first()
    if role == "anonymous":
        return [
            *PUBLIC,
            *([("followup:assessment", [public.period_id, public.goal_id])] if public else []),
            ("goals:tree", [], "?namnd=BN"),
            ("followup:scorecard", [], "?namnd=BN"),
            ("goals:detail", [council.pk]),
            ("goals:detail", [bn_goal.pk]),
        ]
    common = [
        ("accounts:workspace", []),
        ("password_change", []),
        ("followup:index", []),
        ("followup:period", [open_period.pk]),
        ("followup:indicator", [indicator.pk]),
        ("goals:goal_history", [bn_goal.pk]),
        ("goals:indicator_history", [indicator.pk]),
    ]
    if role == "redaktor-bn":
        return [
            *common,
            ("goals:goal_edit", [bn_goal.pk]),
            ("goals:goal_move", [bn_goal.pk]),
            ("goals:goal_delete", [bn_goal.pk]),
            ("goals:goal_create", [bn_goal.pk]),
            ("goals:indicator_edit", [indicator.pk]),
            ("goals:indicator_delete", [indicator.pk]),
            ("goals:activity_edit", [activity.pk]),
            ("goals:activity_delete", [activity.pk]),
            ("followup:values", [open_period.pk, bn.pk]),
            ("followup:activities", [open_period.pk, bn.pk]),
            ("followup:assessments", [open_period.pk, bn.pk]),
            ("followup:assessment", [open_period.pk, bn_goal.pk]),
            ("followup:values", [closed_period.pk, bn.pk]),
            ("followup:files", []),
        ]
    if role == "controller":
        return [
            *common,
            ("followup:period_create", []),
            ("followup:overview", [open_period.pk]),
            ("followup:period", [closed_period.pk]),
            ("followup:period_reopen", [closed_period.pk]),
            ("followup:period_close", [open_period.pk]),
            ("followup:approvals", []),
            ("followup:assessment", [closed_period.pk, bn_goal.pk]),
            ("goals:categories", []),
            ("goals:category_create", [Category.objects.first().set_id]),
            ("goals:category_edit", [Category.objects.first().pk]),
            ("goals:goal_edit", [council.pk]),
            ("followup:files", []),
            ("followup:kolada_import", []),
            ("reports:periods", []),
            ("reports:period", [closed_period.pk]),
            ("reports:preview", [closed_period.pk, "annual"]),
            ("reports:preview", [closed_period.pk, "board"], "?board=BN"),
            ("reports:publish", [closed_period.pk, "board"], "?board=BN"),
        ]
    if role == "lasare":
        return [
            *common,
            ("followup:overview", [open_period.pk]),
            ("followup:assessments", [open_period.pk, bn.pk]),
            ("followup:assessment", [open_period.pk, bn_goal.pk]),
            ("followup:assessment", [closed_period.pk, council.pk]),
        ]
    if role == "admin":
        lasare = get_user_model().objects.get(username="lasare")
        return [
            ("accounts:members", []),
            ("accounts:user_create", []),
            ("accounts:user_roles", [lasare.pk]),
            ("accounts:personal_data", []),
            ("accounts:user_pseudonymise", [lasare.pk]),
        ]
    return common


def _url(name, args, query=""):
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("role", ["anonymous", "lasare", "redaktor-bn", "controller", "admin"])
def test_every_page_of_the_role_passes_axe(people, role):
    visitor = people(None if role == "anonymous" else role)
    urls = [_url(*page) for page in _pages(role)]
    assert urls, role
    for url in urls:
        if url is None:
            continue
        response = visitor.goto(url)
        assert response.status == 200, f"{role}: {url} answered {response.status}"


def test_on_a_phone_the_menu_folds_and_the_tree_opens_folded_below_the_headline_level(people):
    visitor = people()
    page = visitor.page
    page.set_viewport_size({"width": 390, "height": 844})
    visitor.goto("/mal/")
    menu = page.locator("#site-menu")
    toggle = page.get_by_role("button", name="Meny")
    assert toggle.is_visible() and not menu.is_visible()
    toggle.click()
    menu.get_by_role("link", name="Rapporter").wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    # KF-mål is Nora's headline level: the vision and the overarching goal stay open, the KF goals fold.
    opened = page.evaluate(
        """() => [...document.querySelectorAll(".goal-tree details")]
            .map(d => [d.hasAttribute("data-fold-on-phone"), d.open])"""
    )
    assert True in [fold for fold, _ in opened] and False in [fold for fold, _ in opened]
    assert all(is_open != fold for fold, is_open in opened)
    kf_goal = page.get_by_role("link", name="alla barns kunskapsutveckling").first
    assert not kf_goal.locator("xpath=ancestor::li[1]//ul//a").first.is_visible()


def test_on_a_wide_screen_the_menu_is_open_and_the_tree_too(people):
    visitor = people()
    visitor.goto("/mal/")
    assert not visitor.page.get_by_role("button", name="Meny").is_visible()
    assert visitor.page.locator("#site-menu").get_by_role("link", name="Rapporter").is_visible()
    assert visitor.page.evaluate(
        "() => [...document.querySelectorAll('.goal-tree details')].every(d => d.open)"
    )
