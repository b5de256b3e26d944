"""Public pages of the goal chain: the start page, the goal tree and one goal's page."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import record_event

from . import search as goal_search
from . import treecache
from .chain import styrmodell
from .forms import AccessibilityReportForm
from .models import Goal, Indicator, Organisation, Perspective
from .treeview import build_tree

# The columns the tree page shows or nests by; everything else stays in the database.
TREE_COLUMNS = (
    "parent",
    "tree_id",
    "lft",
    "level",
    "level_kind",
    "title",
    "owner",
    "owner__code",
    "owner__name",
)
BOARD_KINDS = (Organisation.Kind.BOARD, Organisation.Kind.COMMITTEE)
# When the statement and the checks it describes (docs/accessibility.md) were last reviewed.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 26)


@require_safe
def home(request):
    """The levels from the top down to the headline level (Nora: vision, overarching goal, KF goals)."""
    model = styrmodell()
    headline = model.headline
    shown = [rule for rule in model if headline is None or rule.position <= headline.position]
    shown = [rule for rule in shown if rule.decided_by_council or rule is headline]
    goals = list(
        Goal.objects.filter(level_kind__in=[rule.key for rule in shown])
        .in_tree_order()
        .prefetch_related("perspectives")
    )
    sections = []
    for rule in shown:
        of_level = [goal for goal in goals if goal.level_kind_id == rule.key]
        if of_level or rule is headline:
            heading = rule.name if len(of_level) == 1 and rule is not headline else rule.plural
            sections.append(
                {"level": rule, "heading": heading, "goals": of_level, "headline": rule is headline}
            )
    return render(
        request,
        "goals/home.html",
        {
            "has_goals": bool(goals),
            "sections": [s for s in sections if not s["headline"]],
            "headline": next((s for s in sections if s["headline"]), None),
            "perspectives": list(Perspective.objects.all()) if goals else [],
        },
    )


@require_safe
def tree(request):
    """The whole goal chain as nested lists, optionally filtered by perspective and board."""
    perspectives = list(Perspective.objects.all())
    boards = list(Organisation.objects.filter(kind__in=BOARD_KINDS))
    perspective_id = _chosen_perspective(request.GET.get("perspektiv"), perspectives)
    board_code = _chosen_board(request.GET.get("namnd"), boards)
    # The list itself is the expensive part (thousands of rows): it comes from the shared cache, which
    # every tree write invalidates. The filter form around it is rendered per request.
    tree_html = treecache.rendered(
        (perspective_id, board_code), lambda: _tree_list(perspectives, perspective_id, board_code)
    )
    return render(
        request,
        "goals/goal_tree.html",
        {
            "tree_html": mark_safe(tree_html),  # our own template's output, escaped when it was rendered
            "filtered": perspective_id is not None or board_code is not None,
            "perspectives": perspectives,
            "boards": boards,
            "chosen_perspective": perspective_id,
            "chosen_board": board_code,
        },
    )


def _tree_list(perspectives, perspective_id, board_code):
    """Render the tree's summary line and nested lists for one filter combination."""
    goals = Goal.objects.in_tree_order().select_related("owner").only(*TREE_COLUMNS)
    links = list(Goal.perspectives.through.objects.values_list("goal_id", "perspective_id"))
    indicator_counts = dict(
        Indicator.objects.order_by()
        .values("goal_id")
        .annotate(count=Count("pk"))
        .values_list("goal_id", "count")
    )
    view = build_tree(
        goals, links, indicator_counts, perspectives, perspective_id=perspective_id, board_code=board_code
    )
    return render_to_string("goals/includes/tree_list.html", {"tree": view})


@require_safe
def detail(request, pk):
    """One goal with its place in the chain, indicators, targets and activities."""
    goal = get_object_or_404(Goal.objects.select_related("owner"), pk=pk)
    context = {
        "goal": goal,
        "ancestors": list(goal.get_ancestors().only("pk", "title")),
        "perspectives": list(goal.perspectives.all()),
        "children": list(Goal.objects.filter(parent=goal).select_related("owner")),
        "indicators": list(goal.indicators.prefetch_related("targets")),
        "activities": list(goal.activities.select_related("owner")),
    }
    return render(request, "goals/goal_detail.html", context)


@require_safe
def search(request):
    """Goals, indicators and activities whose title or description has every word of the query."""
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


def _chosen_perspective(value, perspectives):
    """The perspective id asked for, or None when none (or an unknown one) is asked for."""
    value = (value or "").strip()
    if value.isdigit() and int(value) in {p.pk for p in perspectives}:
        return int(value)
    return None


def _chosen_board(value, boards):
    """The board code asked for, or None when none (or an unknown one) is asked for."""
    value = (value or "").strip().upper()
    return value if value in {b.code for b in boards} else None
