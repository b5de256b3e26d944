"""What stored text may hold: a length cap per kind of text, and no control characters.

Every input path (forms, the admin, the goal file, spreadsheet and Kolada imports) checks text with
`refuse_control_characters`; exports pass old rows through `strip_control_characters`. Excel files cannot
hold C0 control characters (openpyxl raises, the export answers 500) and PostgreSQL cannot store NUL.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _

# Longest text of each kind, in characters. A description of 20 000 characters is ten printed pages.
DESCRIPTION_MAX = 20_000
ANALYSIS_MAX = 20_000
COMMENT_MAX = 4_000

# C0 controls and DEL, without tab, line feed and carriage return (those are line breaks and indentation).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_message(text):
    """Why `text` cannot be stored because of a control character, or None when it can."""
    found = CONTROL_CHARACTERS.search(text) if isinstance(text, str) else None
    if found is None:
        return None
    return _(
        "The text contains an invisible control character (code %(code)d) at position %(position)d; "
        "remove it (it often comes with text copied from another program)."
    ) % {"code": ord(found.group()), "position": found.start() + 1}


def refuse_control_characters(text):
    """Validator of every stored text: tab and line breaks are allowed, other control characters are not."""
    message = control_character_message(text)
    if message:
        raise ValidationError(message, code="control_character")


def strip_control_characters(text):
    """`text` without the control characters that no export may carry (for rows stored before the rule)."""
    return CONTROL_CHARACTERS.sub("", text) if isinstance(text, str) else text


def text_validators(max_length):
    """A long text field's validators: its cap (a TextField checks none of its own) and the rule above."""
    return [MaxLengthValidator(max_length), refuse_control_characters]
