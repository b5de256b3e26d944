"""The revision as a readable list (Swedish): counts per kind of change and one line per change."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# --- The readable list -----------------------------------------------------------------------------------

COUNT_LABELS = {
    "goal": lambda n: ngettext("%(count)d goal", "%(count)d goals", n),
    "indicator": lambda n: ngettext("%(count)d indicator", "%(count)d indicators", n),
    "target": lambda n: ngettext("%(count)d target", "%(count)d targets", n),
    "activity": lambda n: ngettext("%(count)d activity", "%(count)d activities", n),
}
KIND_LABELS = {
    "new": lambda: _("new"),
    "changed": lambda: _("changed"),
    "moved": lambda: _("moved"),
    "ended": lambda: _("ended"),
    "deleted": lambda: _("deleted"),
    "kept": lambda: _("kept with follow-up"),
}


def count_rows(plan):
    """[(label, "3 goals, 1 indicator")] per kind of change, for the preview's table."""
    rows = []
    for kind, label in KIND_LABELS.items():
        parts = [
            COUNT_LABELS[model](plan.counts[(model, kind)]) % {"count": plan.counts[(model, kind)]}
            for model in COUNT_LABELS
            if plan.counts[(model, kind)]
        ]
        if parts:
            rows.append((label(), ", ".join(parts)))
    return rows


def revision_text(plan):
    """The plan as text: a heading with the counts, then one line per change."""
    lines = [_("Revision of the goals from %(year)d") % {"year": plan.from_year}]
    if plan.sha256:
        lines.append(_("File SHA-256: %(sha)s") % {"sha": plan.sha256})
    if not plan.changes:
        lines.append(_("The file holds no changes."))
    for label, counts in count_rows(plan):
        lines.append(f"{label}: {counts}")
    unchanged = {"goals": plan.unchanged["goal"], "indicators": plan.unchanged["indicator"]}
    lines.append(_("Unchanged: %(goals)d goals, %(indicators)d indicators") % unchanged)
    lines.append("")
    lines += [f"- {text}" for _kind, text in plan.lines]
    return "\n".join(lines)


def follow_up_text(entry):
    count = entry["rows"]
    text = ngettext("%(count)d row of follow-up", "%(count)d rows of follow-up", count) % {"count": count}
    if entry["open"]:
        text += "; " + _("still in the open period %(periods)s") % {"periods": ", ".join(entry["open"])}
    return text
