"""The personal data the follow-up holds of its own: the mail it sent a person and their calendar feed.

Registered with accounts (`accounts.personal_data.SOURCES`) in the app's ready(): the administrators' page
counts it, a person's export holds it, and pseudonymising or deleting the person removes the address from
the mail log (the row stays: what was sent when, and why) and stops the feed.
"""

from django.utils.translation import gettext as _

from accounts.personal_data import PersonalDataSource

from .models import CalendarFeed, SentMail


class FollowUpPersonalData(PersonalDataSource):
    models = (SentMail, CalendarFeed)

    def inventory(self):
        return [
            {
                "what": _("Sent e-mails"),
                "fields": _("To whom (user and e-mail address), when, subject, kind, why and period."),
                "why": _("So that controllers can see which reminders and notices went out, and none twice."),
                "count": SentMail.objects.count(),
            },
            {
                "what": _("Calendar feeds"),
                "fields": _("A user's secret address of their deadlines, and when it was made."),
                "why": _("So that the person's calendar program can show their deadlines."),
                "count": CalendarFeed.objects.count(),
            },
        ]

    def export(self, user):
        mails = SentMail.objects.filter(user=user).select_related("period").order_by("sent_at", "pk")
        feed = CalendarFeed.objects.filter(user=user).first()
        return {
            "sent_mails": [
                {
                    "sent_at": mail.sent_at.isoformat(),
                    "kind": mail.kind,
                    "to": mail.to,
                    "subject": mail.subject,
                    "why": mail.reason,
                    "period": str(mail.period) if mail.period else None,
                }
                for mail in mails
            ],
            # That there is one and since when; its secret address is not repeated in a file.
            "calendar_feed": {"created_at": feed.created_at.isoformat()} if feed else None,
        }

    def forget(self, user):
        SentMail.objects.filter(user=user).update(to="")
        CalendarFeed.objects.filter(user=user).delete()


PERSONAL_DATA = FollowUpPersonalData()
