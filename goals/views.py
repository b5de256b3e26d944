"""Public pages of the goal chain: the start page, the goal tree and one goal's page."""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import record_event

from . import categories, standing, treecache, treerows
from . import search as goal_search
from .chain import styrmodell
from .forms import AccessibilityReportForm
from .models import Goal, GoalCategory, Indicator, Organisation, Target
from .permissions import can_edit_assignments
from .targets import target_text
from .treeview import GOAL_COLUMNS, build_tree, goals_of_year, plain_rows
from .validity import chosen_year, is_valid_in_year, valid_in_year

# When the statement and the checks it describes (docs/accessibility.md) were last reviewed.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 26)


@require_safe
def home(request):
    """The levels from the top down to the headline level (Nora: vision, overarching goal, KF goals)."""
    model = styrmodell()
    headline = model.headline
    shown = [rule for rule in model if headline is None or rule.position <= headline.position]
    shown = [rule for rule in shown if rule.decided_by_council or rule is headline]
    # The levels above the headline show their indicators too (the vision's "13 000 invånare").
    goals = list(
        Goal.objects.filter(level_kind__in=[rule.key for rule in shown])
        .in_tree_order()
        .prefetch_related(Prefetch("indicators", queryset=_with_targets()))
    )
    year = categories.this_year()
    labels = categories.labels(Goal, [goal.pk for goal in goals], year=year)
    for goal in goals:
        goal.category_labels = labels.get(goal.pk, [])
    top = [goal for goal in goals if headline is None or goal.level_kind_id != headline.key]
    latest = standing.standing_of(top, [i for goal in top for i in goal.indicators.all()], request.user)
    sections = []
    for rule in shown:
        of_level = [goal for goal in goals if goal.level_kind_id == rule.key]
        for goal in of_level:
            goal.standing = latest.get(goal.pk)
            goal.shown_indicators = _top_indicators(goal, goal.standing) if rule is not headline else []
        if of_level or rule is headline:
            heading = rule.name if len(of_level) == 1 and rule is not headline else rule.plural
            sections.append(
                {"level": rule, "heading": heading, "goals": of_level, "headline": rule is headline}
            )
    headline_ids = [g.pk for g in goals if headline is not None and g.level_kind_id == headline.key]
    # Each headline goal's latest judgement beside it, and the level's summary above (one query each).
    statuses = standing.latest(request.user, headline_ids) if headline_ids else {}
    for section in sections:
        section["rows"] = [(goal, statuses.get(goal.pk)) for goal in section["goals"]]
    return render(
        request,
        "goals/home.html",
        {
            "has_goals": bool(goals),
            "status_summary": standing.summary(request.user, headline_ids) if headline_ids else None,
            "sections": [s for s in sections if not s["headline"]],
            "headline": next((s for s in sections if s["headline"]), None),
            "category_groups": _category_groups(categories.in_force(year)) if goals else [],
        },
    )


def _with_targets():
    return Indicator.objects.prefetch_related("targets")


def _top_indicators(goal, standing):
    """A goal's indicators with each one's targets as written ("2030: ≥ 13 000") and its latest follow-up,
    for the start page."""
    return [
        {
            "indicator": indicator,
            "targets": [target_text(t, indicator.decimals, years=True) for t in indicator.targets.all()],
            "standing": standing.indicators.get(indicator.pk) if standing else None,
        }
        for indicator in goal.indicators.all()
    ]


@require_safe
def tree(request):
    """The whole goal chain as nested lists, optionally filtered by category and board."""
    if "perspektiv" in request.GET and "kategori" not in request.GET:
        # Addresses from before category sets: a perspective kept its id as a category of "perspektiv".
        query = QueryDict(mutable=True)
        query.update(request.GET)
        query["kategori"] = query.pop("perspektiv")[-1]
        return redirect(f"{request.path}?{query.urlencode()}", permanent=True)
    year = chosen_year(request.GET.get("ar")) or categories.this_year()
    shown = list(categories.in_force(year))
    boards = list(Organisation.objects.filter(kind__in=Organisation.ANSWERING_KINDS))
    category_id = _chosen_category(request.GET.get("kategori"), shown)
    board_code = _chosen_board(request.GET.get("namnd"), boards)
    # The list itself is the expensive part (thousands of rows): it comes from the shared cache, which
    # every tree write invalidates, and after a write only its changed rows are rendered again
    # (goals/treerows.py). The filter form around it is rendered per request. The year is part of the
    # key: the goals, indicators and categories of the year, and a category that ends with the year
    # leaves the page when the next year begins. Each goal's status is part of the rendering too: the
    # public and users with a role see different ones. The years to choose from are kept with the list.
    audience = standing.audience(request.user)
    tree_html, years = treecache.rendered_bytes_with(
        (audience, year, category_id, board_code),
        lambda: _tree_list(request.user, year, category_id, board_code),
        # While another request renders a changed tree, the earlier rendering is served, but not to the
        # browser whose change it does not show yet.
        changed_at=treecache.own_change(request),
    )
    # The page around the list is rendered per request (the header's user, messages, CSRF token, CSP
    # nonce) with a marker where the list goes; the list's bytes are joined in, never decoded.
    page = render_to_string(
        "goals/goal_tree.html",
        {
            "tree_html": mark_safe(_TREE_MARKER),
            "filtered": category_id is not None or board_code is not None,
            "category_groups": _category_groups(shown),
            "boards": boards,
            "chosen_category": category_id,
            "chosen_board": board_code,
            "years": sorted({*years, year}),
            "chosen_year": year,
            "this_year": categories.this_year(),
        },
        request,
    ).encode()
    before, marker, after = page.partition(_TREE_MARKER.encode())
    assert marker, "the tree template lost its list"
    # Our own rendering's output, escaped when it was rendered.
    return HttpResponse(b"".join((before, tree_html, after)))


# Where the tree page's template puts the list: unguessable, so that no goal or message can contain it.
_TREE_MARKER = f"<!--noramal-tree-{uuid.uuid4().hex}-->"


def _category_groups(shown):
    """The categories (set loaded, in the sets' order) grouped by set, for a filter or a list."""
    return categories.grouped_by_set(shown)


def _tree_list(user, year, category_id, board_code):
    """Render the tree's summary line and nested lists for one year, filter combination and audience, and
    say which years the installation has goals for."""
    # Every goal, marked whether it holds the year: the others only name the years to choose from.
    shown, named_years = goals_of_year(
        plain_rows(
            Goal.objects.with_in_force(year)
            .in_tree_order()
            .values_list(*GOAL_COLUMNS, "valid_from", "valid_to", "in_force")
        )
    )
    links = list(
        GoalCategory.objects.filter(category__in=categories.in_force(year).order_by())
        .order_by("goal_id", "position", "pk")
        .values_list("goal_id", "category_id", "category__set__name", "category__name")
    )
    indicator_counts = dict(
        Indicator.objects.in_force(year)
        .order_by()
        .values("goal_id")
        .annotate(count=Count("pk"))
        .values_list("goal_id", "count")
    )
    view = build_tree(
        shown,
        links,
        indicator_counts,
        category_id=category_id,
        board_code=board_code,
        statuses=standing.latest(user, None),
    )
    # The summary (or the empty state) from the template, then the rows (a few megabytes for thousands of
    # goals: joined in Python, not passed through the template engine).
    html = render_to_string("goals/includes/tree_list.html", {"tree": view}).encode()
    if view.rows:
        html += treerows.tree_list(view)
    # The years to choose from: from the first to the last one that a goal's validity names, and this year.
    named_years.add(categories.this_year())
    return html, list(range(min(named_years), max(named_years) + 1))


@require_safe
def detail(request, pk):
    """One goal with its place in the chain, indicators, targets and activities; with `?ar=2025` the
    sub-goals, indicators and targets valid in that year (`goals.validity`)."""
    goal = get_object_or_404(Goal.objects.select_related("owner"), pk=pk)
    chosen = chosen_year(request.GET.get("ar"))
    year = chosen or categories.this_year()
    children = Goal.objects.filter(parent=goal).select_related("owner")
    indicators = goal.indicators.all()
    targets = Target.objects.all()
    if chosen is not None:
        children = children.filter(valid_in_year(chosen))
        indicators = indicators.filter(valid_in_year(chosen))
        targets = targets.in_force(chosen)
    children = list(children)
    indicators = list(indicators.prefetch_related(Prefetch("targets", queryset=targets)))
    labels = categories.labels(Indicator, [i.pk for i in indicators], year=year) if indicators else {}
    latest = standing.standing_of([goal], indicators, request.user).get(goal.pk)
    for indicator in indicators:
        indicator.category_labels = labels.get(indicator.pk, [])
        indicator.standing = latest.indicators.get(indicator.pk) if latest else None
    # How the goal and its sub-goals are going, as this viewer may see it (one query for all of them).
    statuses = standing.latest(request.user, [goal.pk, *(child.pk for child in children)])
    context = {
        "standing": latest,
        "goal": goal,
        "year": chosen,
        "valid_in_year": chosen is None or is_valid_in_year(goal, chosen),
        "status": statuses.get(goal.pk),
        "ancestors": list(goal.get_ancestors().only("pk", "title")),
        "categories": categories.categories_of(goal, year=year),
        "children": [(child, statuses.get(child.pk)) for child in children],
        "indicators": indicators,
        "activities": list(goal.activities.select_related("owner")),
        "assignments": list(goal.assignments.select_related("owner")),
        "can_edit_assignments": can_edit_assignments(request.user),
        "story": standing.story(request.user, goal, indicators, up_to=chosen),
    }
    return render(request, "goals/goal_detail.html", context)


@require_safe
def search(request):
    """Goals, indicators, activities and assignments whose title or description has every query word."""
    results = goal_search.search(request.user, request.GET.get("q", ""))
    return render(
        request, "goals/search.html", {"results": results, "min_length": goal_search.MIN_QUERY_LENGTH}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse) that the DOS law asks for, in Swedish, with a
    form for reporting a problem that works without any configuration: a report is kept in the audit log,
    where the administrators read it (and the configured address, if any, is offered beside it)."""
    form = AccessibilityReportForm(request.POST or None)
    if form.is_valid():
        reply_to = form.cleaned_data["reply_to"] or _("no contact given")
        summary = _("Accessibility report: %(message)s (Reply to: %(reply_to)s)") % {
            "message": form.cleaned_data["message"],
            "reply_to": reply_to,
        }
        record_event("accessibility.report", summary, user=request.user)
        messages.success(request, _("Thank you. Your report has reached the municipality."))
        return redirect("goals:accessibility")
    context = {
        "form": form,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
    }
    return render(request, "goals/accessibility.html", context)


def _chosen_category(value, shown):
    """The category id asked for, or None when none (or one not shown this year) is asked for."""
    value = (value or "").strip()
    if value.isdigit() and int(value) in {c.pk for c in shown}:
        return int(value)
    return None


def _chosen_board(value, boards):
    """The board code asked for, or None when none (or an unknown one) is asked for."""
    value = (value or "").strip().upper()
    return value if value in {b.code for b in boards} else None
