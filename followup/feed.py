"""Each person's deadlines as an iCalendar feed at a secret address, for Outlook and other calendars.

The address holds a random token (`CalendarFeed`); "Ny adress" replaces it, so the old address answers 404,
and removing it stops the feed. Only those who write follow-up have deadlines and so a feed.
"""

import datetime
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from goals.permissions import can_write

from .calendar import deadline_for
from .mail import site_url
from .models import CalendarFeed
from .worklist import all_organisations, open_periods, own_organisation_ids


def new_feed(user):
    """Give `user` a new secret feed address (the old one, if any, stops working)."""
    token = secrets.token_urlsafe(32)
    feed, _created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    return feed


def revoke_feed(user):
    CalendarFeed.objects.filter(user=user).delete()


def deadlines(user):
    """[(period, deadline, [organisations])] of the user's own organisations in the open periods."""
    organisations = all_organisations()
    own = sorted(
        (organisations[pk] for pk in own_organisation_ids(user, organisations)), key=lambda o: o.name
    )
    rows = []
    for period in open_periods():
        steps = list(period.deadlines.all())
        by_day = {}
        for org in own:
            day = deadline_for(period, org, steps)
            if day:
                by_day.setdefault(day, []).append(org)
        rows.extend((period, day, orgs) for day, orgs in sorted(by_day.items()))
    return rows


def feed_ics(user):
    """The user's deadlines as an iCalendar document (bytes): one all-day event per period and deadline."""
    calendar = Calendar()
    calendar.add("prodid", "-//Noramål//Tidsfrister//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Noramål deadlines – %(name)s") % {"name": settings.MUNICIPALITY_NAME})
    stamp = timezone.now()
    workspace = site_url(reverse("accounts:workspace"))
    for period, day, orgs in deadlines(user):
        codes = ", ".join(o.code or o.name for o in orgs)
        event = Event()
        event.add("uid", f"noramal-{period.pk}-{day.isoformat()}-{user.pk}@{_host()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", _("Deadline: %(period)s (%(codes)s)") % {"period": period, "codes": codes})
        event.add(
            "description",
            _("Report %(period)s for %(names)s by this day. Your tasks: %(url)s")
            % {"period": period, "names": ", ".join(o.name for o in orgs), "url": workspace},
        )
        event.add("url", workspace)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "noramal"


def may_have_feed(user):
    """Those who write follow-up have deadlines; a reader has none."""
    return can_write(user)
