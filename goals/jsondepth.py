"""JSON reading with a bound on nesting, for every JSON file a user gives the site (goal files, Kolada).

Python's json module recurses once per level: a file of a few kilobytes of "[" raises RecursionError (a
traceback in a command, a 500 on a page). The nesting is measured before parsing, in linear time.
"""

import json
import re
from array import array
from itertools import accumulate

from django.utils.translation import gettext as _

# The goal format nests about 14 levels deep and a Kolada answer 5; no real file comes near this.
MAX_DEPTH = 64
# Strings may hold brackets; they are cut out before the brackets are counted. Possessive, and an
# unterminated string runs to the end: one pass over the text whatever it holds.
STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
# After the strings are cut out, "[" and "{" count +1, "]" and "}" count -1 and every other byte goes.
STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


class TooDeep(ValueError):
    """The document nests deeper than `MAX_DEPTH`; `message` says so in the user's language."""

    def __init__(self, depth):
        self.depth = depth
        self.message = _("The JSON nests more than %(max)d levels deep; no valid file does.") % {
            "max": MAX_DEPTH
        }
        super().__init__(self.message)


def nesting_depth(text):
    """How deep the arrays and objects of `text` nest (strings are skipped); 0 for a bare value."""
    steps = STRING.sub("", text).encode("utf-8", "surrogatepass").translate(STEPS, NOT_BRACKETS)
    return max(accumulate(array("b", steps)), default=0)


def loads(text, **options):
    """`json.loads(text, **options)`, refused with `TooDeep` before parsing when it nests too deep."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise TooDeep(depth)
    return json.loads(text, **options)
