"""The goal exchange format: read and check a document, import it in bulk, export the tree.

The format is described in docs/goal-format.md. `format` holds its keys and defaults, `reading` parses
and checks a document into a plan (version 1 there, version 2 in `version2`, the category sets in
`categories`), `importing` writes a plan, `exporting` writes the tree as a document (version 2, or 1).
"""

from .exporting import dumps, export_document, json_number
from .format import DEFAULTS, FORMAT, MAX_BYTES, VERSION, GoalFileError, GoalFileErrors, too_large_message
from .importing import ImportRefused, import_document, import_plan
from .reading import decode, parse_json, read, validate

__all__ = [
    "DEFAULTS",
    "FORMAT",
    "VERSION",
    "GoalFileError",
    "GoalFileErrors",
    "MAX_BYTES",
    "ImportRefused",
    "decode",
    "dumps",
    "export_document",
    "import_document",
    "import_plan",
    "json_number",
    "parse_json",
    "read",
    "too_large_message",
    "validate",
]
