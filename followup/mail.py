"""Sending one logged e-mail: in Swedish, plain text and HTML, never the same one twice (`SentMail.key`)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import MailPreference, mail_frequency

from .models import SentMail

# What the person's reminder choice stops: "none" stops the reminders (the digests and the notice of a period
# about to close); notices on events in a judgement they work on (sent back, approved, a comment in its
# dialogue) go whatever they chose. "Weekly" is the digests' own rule (`reminders.reminder_window`).
REMINDER_KINDS = frozenset({SentMail.Kind.REMINDER, SentMail.Kind.WEEKLY, SentMail.Kind.CLOSING})


def stopped_by_choice(user, kind):
    """Whether `user`'s reminder choice stops a mail of `kind`."""
    return kind in REMINDER_KINDS and mail_frequency(user) == MailPreference.Frequency.NONE


def site_url(path):
    """An absolute address of one of the app's pages, for a mail read outside the app."""
    return f"{settings.SITE_URL}{path}"


def send_once(*, key, kind, user, subject, template, context, period=None, reason=""):
    """Send `template` (.txt and .html) to `user` unless a mail with `key` was sent already or their choice
    stops it (`stopped_by_choice`); True when sent.

    The log row and the sending are one transaction: a mail the server refused is not logged (the next run
    tries again), and a second run, even at the same time, finds the key taken and sends nothing.
    """
    if not user.email or stopped_by_choice(user, kind):
        return False
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        try:
            with transaction.atomic():
                SentMail.objects.create(
                    key=key[:200],
                    kind=kind,
                    user=user,
                    to=user.email,
                    subject=str(subject)[:300],
                    reason=str(reason)[:300],
                    period=period,
                )
        except IntegrityError:
            return False
        context = {**context, "user": user, "site_url": settings.SITE_URL}
        message = EmailMultiAlternatives(
            str(subject), render_to_string(f"{template}.txt", context), to=[user.email]
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()
    return True
