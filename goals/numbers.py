"""Swedish numbers (shared by every app): "1 234,5" out, and "1 234,5", "1234.5" or "92,5" in."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\xa0"
# Spaces put between thousands: space, no-break space, narrow no-break space, thin space.
GROUP_SEPARATORS = (" ", NBSP, "\u202f", "\u2009")
MINUS_SIGNS = ("\u2212", "\u2013")  # the typographic minus and the en dash that word processors produce
_SEPARATOR = "[" + "".join(GROUP_SEPARATORS) + "]"
# A sign, then digits either ungrouped or grouped by three from the right ("4 200", never "4 2" or "42 00"),
# then the decimals, which are never grouped.
_NUMBER = re.compile(
    rf"(?P<sign>[-+]?){_SEPARATOR}?(?P<whole>\d{{1,3}}(?:{_SEPARATOR}\d{{3}})+|\d*)(?:[.,](?P<part>\d*))?",
    re.ASCII,
)


def format_number(value, decimals=0, *, grouping=True, exact=False):
    """Write `value` the Swedish way at `decimals` decimals: 1 234,5 (no-break space, comma).

    A value is shown at its indicator's decimals, rounded half up (a stored 87.878787 shows 87,9 at one
    decimal); the stored number keeps its precision. With `exact`, more decimals are shown when the value has
    them, so that nothing is rounded away (a number typed back into a form, a target as written).
    """
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    places = int(decimals or 0)
    if exact:
        places = max(places, decimal_places(number))
    else:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if number == 0:
            number = abs(number)  # -0,04 at one decimal is 0,0, not -0,0
    text = f"{number:,.{places}f}" if grouping else f"{number:.{places}f}"
    return text.replace(",", NBSP).replace(".", ",")


def format_input(value, decimals=0):
    """A stored number as a user would type it back: no grouping, decimal comma ("1234,5")."""
    return format_number(value, decimals, grouping=False, exact=True)


def decimal_places(number):
    """How many decimals `number` really has (trailing zeros do not count): 92.5000 has 1."""
    exponent = number.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def parse_number(text):
    """Read a number typed by a Swede or pasted from a spreadsheet; raise ValueError when it is not one.

    Both "," and "." are taken as the decimal sign (never as a thousands separator, which in Swedish is a
    space), so "1,234.5" is refused rather than guessed at. A space must group thousands by three: "4 2" is
    a typing slip, not 42. "−5" and "–5" are minus five.
    """
    cleaned = str(text).strip()
    for minus in MINUS_SIGNS:
        cleaned = cleaned.replace(minus, "-")
    match = _NUMBER.fullmatch(cleaned)
    if not match or not (match["whole"] or match["part"]):
        raise ValueError(text)
    whole = re.sub(_SEPARATOR, "", match["whole"]) or "0"
    part = "" if match["part"] is None else f".{match['part']}"
    return Decimal(f"{match['sign']}{whole}{part}")
