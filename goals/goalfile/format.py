"""The goal exchange format, versions 1 and 2: keys, defaults and the errors that name a place in a file.

The format is described in docs/goal-format.md.
"""

import re

from django.utils.translation import gettext as _

FORMAT = "noramal-goals"
VERSION = 2  # what export writes
VERSIONS = (1, 2)  # what import reads
# A goal file is refused before it is parsed when it is larger than this (a 5,000-goal file is about 3 MB).
MAX_BYTES = 20 * 1024 * 1024
# A document's problems are all reported in one run; this many are listed, the rest counted.
MAX_ERRORS = 50

TOP_KEYS = ("format", "version", "municipality", "organisations", "perspectives", "vision",
            "overarching_goal", "council_goals")  # fmt: skip
ORGANISATION_KEYS = ("code", "name", "kind", "parent")
PERSPECTIVE_KEYS = ("name", "description")
GOAL_KEYS = ("title", "description", "owner", "decision", "valid_from", "valid_to", "perspectives",
             "indicators", "activities")  # fmt: skip
INDICATOR_KEYS = ("name", "description", "unit", "direction", "decimals", "gender_split", "allow_negative",
                  "allow_above_100", "valid_from", "valid_to", "kolada_kpi", "kolada_scale", "owner",
                  "targets")  # fmt: skip
# The indicator's own columns among them (the owner and the targets are written from other tables).
INDICATOR_FIELDS = INDICATOR_KEYS[:-2]
# A target is {year, value, tolerance}; the other keys are written only when a target needs them (a span,
# a comparison other than the indicator's direction gives, a range, a bound left out, a band in percent).
TARGET_KEYS = ("year", "to", "comparison", "value", "high", "exclusive", "tolerance", "tolerance_unit")
ACTIVITY_KEYS = ("title", "description", "owner", "responsible", "start_date", "end_date")
# Export leaves a field out when it holds its default, so that files stay short and a round trip is stable.
DEFAULTS = {
    "description": "", "decision": "", "valid_from": None, "valid_to": None, "perspectives": [],
    "indicators": [], "activities": [], "board_goals": [], "unit_goals": [], "direction": "higher",
    "decimals": 0, "gender_split": False, "kolada_kpi": "", "targets": [], "responsible": "",
    "allow_negative": False, "allow_above_100": False, "kolada_scale": 1,
    "start_date": None, "end_date": None,
}  # fmt: skip
# Version 1 holds Nora's chain by its shape: its places name the levels by these keys of the default
# styrmodell (`goals.chain.DEFAULT_LEVELS`), which the installation must have for a version 1 file.
VISION, OVERARCHING, COUNCIL, BOARD, UNIT = "vision", "overarching", "council", "board", "unit"
CHILD_LEVEL = {VISION: OVERARCHING, OVERARCHING: COUNCIL, COUNCIL: BOARD, BOARD: UNIT}
# Where a goal's sub-goals are listed; the vision's and the overarching goal's are top-level keys.
CHILD_KEY = {COUNCIL: "board_goals", BOARD: "unit_goals"}
LEVEL_KEYS = ("council_goals", "board_goals", "unit_goals")
# Goals whose owner may be left out: it is then the file's one council.
COUNCIL_LEVELS = (VISION, OVERARCHING, COUNCIL)
# A target is written back as a JSON number (a float when it has decimals): 15 significant digits
# survive that exactly, so a round trip never changes a value.
SIGNIFICANT_DIGITS = 15
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Marks a field without a default: leaving it out is an error.
REQUIRED = object()


# --- Version 2: any styrmodell; the goals are one generic tree with their levels named ---------------

TOP_KEYS_2 = ("format", "version", "municipality", "levels", "headline_level", "organisations",
              "category_sets", "goals", "assignments")  # fmt: skip
LEVEL_KEYS_2 = ("key", "name", "plural", "owners", "parents", "owner_within_parent")
CATEGORY_SET_KEYS = ("key", "name", "categories")
CATEGORY_KEYS = ("name", "description", "valid_from", "valid_to")
GOAL_KEYS_2 = ("key", "level", "title", "description", "owner", "decision", "valid_from", "valid_to",
               "financial", "categories", "indicators", "activities", "assignments", "children")  # fmt: skip
INDICATOR_KEYS_2 = ("key", "name", "description", "owner", "unit", "direction", "decimals", "gender_split",
                    "kolada_kpi", "kolada_scale", "allow_negative", "allow_above_100", "valid_from",
                    "valid_to", "categories", "targets")  # fmt: skip
ASSIGNMENT_KEYS = ("title", "description", "decision", "owner", "due")
TARGET_KEYS_2 = ("from", "to", "comparison", "value", "low", "high", "exclusive", "tolerance",
                 "tolerance_unit")  # fmt: skip
DEFAULTS_2 = {**DEFAULTS, "financial": False, "categories": {}, "children": [], "owner_within_parent": False,
              "exclusive": False, "tolerance": 0, "tolerance_unit": "absolute", "category_sets": [],
              "assignments": [], "due": None}  # fmt: skip


def too_large_message(size):
    return _("The file is %(size)s MB; a goal file may be at most %(max)d MB.") % {
        "size": f"{size / 1024 / 1024:.1f}".replace(".", ","), "max": MAX_BYTES // 1024 // 1024
    }  # fmt: skip


class GoalFileError(Exception):
    """A document that cannot be imported, with the place in the file where the problem is."""

    def __init__(self, path, message):
        super().__init__(path, message)
        self.path = path
        self.message = message
        self.errors, self.total = [self], 1

    def lines(self):
        """One line per problem ("place: message"), and how many more there are past `MAX_ERRORS`."""
        lines = [f"{error.path}: {error.message}" for error in self.errors]
        if self.total > len(self.errors):
            lines.append(_("… and %(count)d more errors") % {"count": self.total - len(self.errors)})
        return lines

    def __str__(self):
        return "\n".join(self.lines())


class GoalFileErrors(GoalFileError):
    """All the problems of a document (the first `MAX_ERRORS` of `total`); `path` and `message` are the
    first's."""

    def __init__(self, errors, total):
        super().__init__(errors[0].path, errors[0].message)
        self.errors, self.total = errors, total
