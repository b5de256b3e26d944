"""Values every template may show."""

from django.conf import settings


def site(request):
    """The municipality's name, for headers and titles."""
    return {"municipality_name": settings.MUNICIPALITY_NAME}
