"""User text as it goes into a cell of an exported file (Excel, CSV): the one rule for every export."""

from .textinput import strip_control_characters

# Cells that spreadsheet programs would run as formulas (CSV injection): "=1+1", "+1", "-1", "@SUM(…)", and
# the same after a tab or a carriage return, which some programs skip.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """Text for an Excel cell: without control characters, which an .xlsx cannot hold (rows stored
    before they were refused still have them); None and other values pass unchanged."""
    return strip_control_characters(value)


def csv_cell_text(value):
    """Text for a CSV cell: as `cell_text`, with a leading apostrophe where a spreadsheet sees a formula."""
    text = cell_text(value)
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def undo_formula_guard(text):
    """Text read back from an exported cell, without the apostrophe `csv_cell_text` put before it."""
    return text[1:] if text[:1] == "'" and text[1:].startswith(FORMULA_STARTS) else text
