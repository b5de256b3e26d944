"""The names of the files the site hands out: Swedish words as an ASCII slug, the same way everywhere."""

from django.utils.text import slugify


def download_name(*parts, extension):
    """A file name from its parts, e.g. ("Årsredovisning", 2025, "måluppfyllelse", "v1"), "pdf" →
    "arsredovisning-2025-maluppfyllelse-v1.pdf": lower case, å/ä → a, ö → o, words joined by hyphens,
    empty parts left out."""
    words = [slugify(str(part)) for part in parts if part not in (None, "")]
    return "-".join(word for word in words if word) + f".{extension}"
