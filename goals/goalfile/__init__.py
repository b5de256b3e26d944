"""The goal exchange format, version 1: read and check a document, import it in bulk, export the tree.

The format is described in docs/goal-format.md. `format` holds its keys and defaults, `reading` parses
and checks a document into a plan, `importing` writes a plan, `exporting` writes the tree as a document.
"""

from .exporting import dumps, export_document, json_number
from .format import DEFAULTS, FORMAT, VERSION, GoalFileError
from .importing import ImportRefused, import_document, import_plan
from .reading import parse_json, read, validate

__all__ = [
    "DEFAULTS",
    "FORMAT",
    "VERSION",
    "GoalFileError",
    "ImportRefused",
    "dumps",
    "export_document",
    "import_document",
    "import_plan",
    "json_number",
    "parse_json",
    "read",
    "validate",
]
