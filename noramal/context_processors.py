"""Values every template may show."""

from django.conf import settings

from goals.search import MAX_QUERY_LENGTH


def site(request):
    """The municipality's name, for headers and titles; the longest query the header's search takes."""
    return {"municipality_name": settings.MUNICIPALITY_NAME, "search_max_length": MAX_QUERY_LENGTH}
