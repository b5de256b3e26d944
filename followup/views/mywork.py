"""A person's own follow-up work: "Mina uppgifter" on Min sida, their calendar feed, and the log of sent
e-mails for controllers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import MailPreference, mail_frequency

from .. import feed as feeds
from ..models import CalendarFeed, SentMail
from ..permissions import require_controller
from ..worklist import worklist

SENT_PER_PAGE = 100


def workspace_section(request):
    """Min sida's follow-up part (wired in by settings.WORKSPACE_SECTIONS): the tasks, the reminder choice
    and the calendar feed."""
    user = request.user
    may_feed = feeds.may_have_feed(user)
    feed = CalendarFeed.objects.filter(user=user).first() if may_feed else None
    return "followup/includes/workspace_tasks.html", {
        "worklist": worklist(user) if may_feed else [],
        "may_feed": may_feed,
        "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
        "frequency": mail_frequency(user),
        "frequencies": MailPreference.Frequency.choices,
        "has_email": bool(user.email),
    }


@require_safe
def feed(request, token):
    """A person's deadlines as iCalendar, at the secret address (no login: calendar programs have none)."""
    calendar_feed = get_object_or_404(
        CalendarFeed.objects.select_related("user").filter(user__is_active=True), token=token
    )
    response = HttpResponse(feeds.feed_ics(calendar_feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tidsfrister.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def feed_new(request):
    """Make a new secret feed address; the old one stops working."""
    if not feeds.may_have_feed(request.user):
        raise PermissionDenied
    feeds.new_feed(request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("accounts:workspace")


@login_required
@require_POST
def feed_revoke(request):
    """Stop the feed: its address answers 404 from now on."""
    if not feeds.may_have_feed(request.user):
        raise PermissionDenied
    feeds.revoke_feed(request.user)
    messages.success(request, _("Your calendar address was removed."))
    return redirect("accounts:workspace")


@login_required
@require_safe
def sent_mail(request):
    """Every e-mail the app sent, newest first: to whom, when, why."""
    require_controller(request.user)
    mails = SentMail.objects.select_related("user", "period").order_by("-sent_at", "-pk")
    page = Paginator(mails, SENT_PER_PAGE).get_page(request.GET.get("sida"))
    return render(request, "followup/sent_mail.html", {"page": page, "mails": list(page)})
