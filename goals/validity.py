"""The one rule for "valid in a year" of anything with validity years (`valid_from`, `valid_to`).

A row is valid in `year` when its first valid year is empty or at most `year` and its last valid year is
empty or at least `year`. Goals, indicators and categories follow it; targets have their own span of years
(`Target.objects.in_force`).

- `valid_in_year(year)`: the rule as a `Q` for a queryset (`Goal.objects.filter(valid_in_year(2025))`).
- `is_valid_in_year(row, year)`: the rule for one row (or a dict of values) already in memory.
- `chosen_year(value)`: a year asked for in a page's address (`?ar=2025`), or None.
"""

from django.db.models import Q

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the bounds of a validity year (goals.models.validity_year)


def valid_in_year(year):
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=year)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=year)
    )


def is_valid_in_year(row, year):
    first, last = (
        (row.get("valid_from"), row.get("valid_to"))
        if isinstance(row, dict)
        else (row.valid_from, row.valid_to)
    )
    return (first is None or first <= year) and (last is None or last >= year)


def chosen_year(value):
    """The year in `value` (a query parameter) when it is a plain year within the bounds, else None."""
    value = (value or "").strip()
    if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return None
