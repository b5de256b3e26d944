"""A post the server will not read (too large, too many fields or files) gets a Swedish page, not a 400."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render

from goals.numbers import format_number


class OverlongPostMiddleware:
    """Reads a post's form data first, so that its limits are met here and answered with the site's page.

    Below the limits the view's form validation caps each text (goals.textinput.DESCRIPTION_MAX) and gives the
    text back with an error. Above them the body cannot be read at all, so nothing is saved: the page says
    so, and that the browser's back button usually still holds what was typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parses the body (and files), raising at a limit
            except RequestDataTooBig:
                return self.refuse(request, "size")
            except (TooManyFieldsSent, TooManyFilesSent):
                return self.refuse(request, "fields")
        return self.get_response(request)

    def refuse(self, request, reason):
        context = {
            "reason": reason,
            "megabytes": format_number(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)),
            "fields": format_number(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS),
        }
        return render(request, "413.html", context, status=413)
