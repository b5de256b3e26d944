"""A revised goal file applied to an installation that has goals: nothing of its history is lost.

`plan_revision` matches the file's goals and indicators with the installation's — by their stable keys,
and where the file gives none, a goal by level + owner + title and an indicator by its name on its goal —
and lists what the revision does: new goals and indicators, changed ones, moved ones, and those the file
leaves out, which are **ended** (their validity closes the year before the revision's first year) when
they have follow-up and deleted through the guarded delete when they have none. `apply_revision` writes
that plan in one transaction under the goal tree's lock, through the tree's write path, and records one
audit event with the file's SHA-256. `revision_text` is the plan as a readable list (Swedish).
"""

from .applying import apply_revision, note_errors
from .describing import count_rows, revision_text
from .plan import RevisionPlan, RevisionRefused, default_from_year, file_sha256
from .planning import plan_revision

__all__ = [
    "RevisionPlan",
    "RevisionRefused",
    "apply_revision",
    "count_rows",
    "default_from_year",
    "file_sha256",
    "note_errors",
    "plan_revision",
    "revision_text",
]
