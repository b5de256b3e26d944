"""Users' memberships (their roles in organisations) and the audit log of what an auditor must find again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from goals.models import History, Organisation


class Membership(models.Model):
    """A user's role in an organisation; a user may hold several memberships."""

    class Role(models.TextChoices):
        READER = "reader", _("Reader")
        EDITOR = "editor", _("Editor")
        CONTROLLER = "controller", _("Controller")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = History()

    class Meta:
        ordering = ["user", "organisation", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_membership_per_role")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organisation.code}"


class AuditEvent(models.Model):
    """Something an auditor must be able to find afterwards: role changes, period locks, publications."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=60, blank=True)
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"


def record_event(action, summary, *, user=None, obj=None):
    """Write an audit event; `obj` names the object it concerns."""
    return AuditEvent.objects.create(
        action=action,
        summary=summary,
        user=user if user is not None and user.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )


class MailPreference(models.Model):
    """How often a user wants the reminder digest (followup/reminders.py); no row means daily."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("At each reminder (daily when due)")
        WEEKLY = "weekly", _("Weekly, on Mondays")
        NONE = "none", _("No reminders")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mail_preference",
    )
    frequency = models.CharField(
        _("reminders by e-mail"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )

    class Meta:
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


def mail_frequency(user):
    """The user's reminder frequency (daily unless they chose otherwise)."""
    preference = getattr(user, "mail_preference", None) if user.pk else None
    return preference.frequency if preference is not None else MailPreference.Frequency.DAILY


def set_mail_frequency(user, frequency):
    """Store the user's choice of reminder frequency."""
    if frequency not in MailPreference.Frequency.values:
        raise ValueError(frequency)
    MailPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
