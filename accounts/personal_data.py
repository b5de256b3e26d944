"""Personal data: what the app holds about a person, one person's data as an export, and removing a person.

Removing means pseudonymising, never deleting: the account row stays, so every record that names it (values,
judgements, history rows, audit events) still points at the same row, which now carries a pseudonym. The
one way to do it is `pseudonymise`, used by the administrators' page and `manage.py pseudonymise_user` alike.

Other apps' personal data: accounts imports none of the apps above it (reports → followup → goals →
accounts), so an app that holds personal data of its own registers a `PersonalDataSource` in `SOURCES`
from its AppConfig.ready (follow-up does: the mail it sent, the calendar feeds). The inventory, the export,
pseudonymising and deleting a user all read the same list.
"""

import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Activity

from . import services
from .models import AuditEvent, MailPreference, Membership, mail_frequency, record_event

PSEUDONYM_PREFIX = "anonym-"
ACCOUNT_FIELDS = [
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
    "last_login",
]


class PersonalDataSource:
    """The personal data one app holds, for the inventory, the export and removing a person."""

    models = ()  # the models it answers for, left out of the export's "rows they authored"

    def inventory(self):
        """Rows like `inventory()`'s (what, fields, why, count)."""
        return []

    def export(self, user):
        """{key: JSON-ready data} of `user`'s share, merged into the export."""
        return {}

    def forget(self, user):
        """Remove what names `user` beyond their account row: when pseudonymised, and before deletion."""


SOURCES = []


def forget_elsewhere(user):
    """What the other apps hold of `user` goes (`PersonalDataSource.forget`), as does their mail choice."""
    MailPreference.objects.filter(user=user).delete()
    for source in SOURCES:
        source.forget(user)


def forget_before_deletion(sender, instance, **kwargs):
    """`pre_delete` of the user model (connected in accounts' AppConfig.ready): a deleted account leaves no
    personal data behind in rows that outlive it (`on_delete=SET_NULL`), whichever path deletes it."""
    forget_elsewhere(instance)


class PseudonymisationRefused(Exception):
    """Why a person may not be pseudonymised (already done, or the administrator's own account)."""


def pseudonym(user):
    return f"{PSEUDONYM_PREFIX}{user.pk}"


def is_pseudonymised(user):
    return user.get_username() == pseudonym(user) and not user.is_active


# --- Activities that name the person as responsible (free text, matched on the full name) ---------------


def _name_pattern(full_name):
    """The full name as whole words, any case and spacing: "Kari Nordmann" in "Kari  nordmann, Per Ek"."""
    words = full_name.split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE)


def activities_naming(user):
    """The activities whose responsible person is the user, by full name (none when the user has no name)."""
    pattern = _name_pattern(user.get_full_name())
    if pattern is None:
        return []
    candidates = Activity.objects.exclude(responsible="").only("pk", "title", "responsible", "goal_id")
    return [activity for activity in candidates.order_by("pk") if pattern.search(activity.responsible)]


# --- What the app holds -----------------------------------------------------------------------------------


def authored_relations():
    """Every foreign key to the user model that records what a user did: (model, field name). Not the rows
    that hold the user's own data (memberships, audit events, the mail choice, the sources' models)."""
    relations = []
    own = {Membership, AuditEvent, MailPreference, *(m for source in SOURCES for m in source.models)}
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        if relation.concrete or not relation.is_relation or relation.related_model in own:
            continue
        if relation.related_model is Session or not hasattr(relation, "field"):
            continue
        relations.append((relation.related_model, relation.field.name))
    return sorted(relations, key=lambda rel: (rel[0]._meta.label_lower, rel[1]))


def user_sessions(user):
    """The user's logins that have not expired (database sessions, read one by one)."""
    found = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            found.append(session)
    return found


def inventory():
    """What personal data the app holds, how much of it, and why, for the administrators' page."""
    users = get_user_model().objects
    authored = sum(
        model._base_manager.filter(**{f"{field}__isnull": False}).count()
        for model, field in authored_relations()
    )
    return [
        {
            "what": _("User accounts"),
            "fields": _(
                "Username, first and last name, e-mail address, time of the last login, password (hashed)."
            ),
            "why": _("To log in, to know who holds which role, and to name who did what."),
            "count": users.count(),
        },
        {
            "what": _("Memberships (roles)"),
            "fields": _("Which user holds which role in which organisation, with the history of changes."),
            "why": _("To decide who may read and write what."),
            "count": Membership.objects.count(),
        },
        {
            "what": _("Authors of values, judgements, statuses, reports and history rows"),
            "fields": _("A reference to the user who entered, approved, closed, published or changed a row."),
            "why": _("The follow-up must show who answers for each figure and judgement (traceability)."),
            "count": authored,
        },
        {
            "what": _("Audit events"),
            "fields": _("Who changed roles, locked periods, imported, exported or published, and when."),
            "why": _("So that an auditor can find afterwards who did what."),
            "count": AuditEvent.objects.count(),
        },
        {
            "what": _("Responsible persons of activities"),
            "fields": _("A name typed as free text in the activity's “responsible person” field."),
            "why": _("To show who leads an activity; the name is public once a goal page is."),
            "count": Activity.objects.exclude(responsible="").count(),
        },
        {
            "what": _("Choice of reminders by e-mail"),
            "fields": _("How often a user wants reminders: at each reminder, weekly or none."),
            "why": _("To send each person the reminders they asked for."),
            "count": MailPreference.objects.count(),
        },
        *(row for source in SOURCES for row in source.inventory()),
        {
            "what": _("Sessions"),
            "fields": _("A logged-in user's id in a session that expires after the configured time."),
            "why": _("To keep a user logged in between pages."),
            "count": Session.objects.filter(expire_date__gt=timezone.now()).count(),
        },
        {
            "what": _("Login records"),
            "fields": _("Username, address and browser of logins and failed logins."),
            "why": _("To lock out password guessing, and to find out afterwards who logged in from where."),
            "count": AccessLog.objects.count()
            + AccessFailureLog.objects.count()
            + AccessAttempt.objects.count(),
        },
        {
            "what": _("Request logs"),
            "fields": _("One line per request with the user's id (not the name), the path and the time."),
            "why": _("To find errors and misuse. They are written to the server's log, not to the database."),
            "count": None,
        },
    ]


def export(user):
    """Everything the app holds about `user`, as JSON-ready data."""
    account = {name: getattr(user, name) for name in ACCOUNT_FIELDS}
    for name in ("date_joined", "last_login"):
        account[name] = account[name].isoformat() if account[name] else None
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    authored = []
    for model, field in authored_relations():
        ids = list(model._base_manager.filter(**{field: user.pk}).order_by("pk").values_list("pk", flat=True))
        if ids:
            authored.append(
                {
                    "model": model._meta.label_lower,
                    "field": field,
                    "what": str(model._meta.verbose_name_plural),
                    "count": len(ids),
                    "ids": ids,
                }
            )
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": account,
        "memberships": [
            {"organisation": m.organisation.code, "organisation_name": m.organisation.name, "role": m.role}
            for m in memberships
        ],
        "audit_events_by_them": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "summary": e.summary,
            }
            for e in AuditEvent.objects.filter(user=user).order_by("at", "pk")
        ],
        "rows_they_authored": authored,
        "activities_naming_them": [
            {"id": a.pk, "title": a.title, "responsible": a.responsible, "goal_id": a.goal_id}
            for a in activities_naming(user)
        ],
        "active_sessions": len(user_sessions(user)),
        "login_records": AccessLog.objects.filter(username=user.get_username()).count()
        + AccessFailureLog.objects.filter(username=user.get_username()).count(),
        "mail_preference": mail_frequency(user),
    }
    for source in SOURCES:
        data.update(source.export(user))
    return data


# --- Removing a person --------------------------------------------------------------------------------------


@transaction.atomic
def pseudonymise(user, *, by):
    """Deactivate `user` and replace what names them with a pseudonym; irreversible. Returns what changed."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if is_pseudonymised(user):
        raise PseudonymisationRefused(_("%(user)s is already pseudonymised.") % {"user": user.get_username()})
    if by is not None and by.pk == user.pk:
        raise PseudonymisationRefused(_("You cannot pseudonymise your own account."))
    old_username, name_pattern = user.get_username(), _name_pattern(user.get_full_name())
    alias = pseudonym(user)

    # Activities that name the person: the activity and its history rows get the pseudonym instead.
    activities = 0
    if name_pattern is not None:
        history = Activity.history.model
        for model in (Activity, history):
            for pk, text in model._base_manager.exclude(responsible="").values_list("pk", "responsible"):
                replaced = name_pattern.sub(alias, text)
                if replaced != text:
                    model._base_manager.filter(pk=pk).update(responsible=replaced)
                    activities += model is Activity
    sessions = user_sessions(user)
    Session.objects.filter(session_key__in=[s.session_key for s in sessions]).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=old_username).delete()

    forget_elsewhere(user)  # the address in the mail log, the calendar feed, the mail choice
    user.username = alias
    user.first_name, user.last_name, user.email = alias, "", ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    _pseudonymise_audit_summaries(user, old_username, alias)
    # Its roles go too, each an audit event of its own (which now names the pseudonym).
    for membership in Membership.objects.filter(user=user).select_related("user", "organisation"):
        services.revoke_role(membership, by=by)
    summary = _(
        "User pseudonymised as %(alias)s: account deactivated, %(activities)s activities' responsible person "
        "replaced, %(sessions)s sessions ended."
    ) % {"alias": alias, "activities": activities, "sessions": len(sessions)}
    record_event("user.pseudonymise", summary, user=by, obj=user)
    return {"alias": alias, "activities": activities, "sessions": len(sessions)}


def _pseudonymise_audit_summaries(user, old_username, alias):
    """The audit events about the account and its roles name it by username: they name the pseudonym now.

    Only those events, and only the username where the app wrote it ("kari: Editor in BN", "created: kari");
    who did what (the events' `user`) is untouched."""
    history = Membership.history.model
    membership_ids = [
        str(pk) for pk in history.objects.filter(user_id=user.pk).values_list("id", flat=True).distinct()
    ]
    about = AuditEvent.objects.filter(
        object_type=user._meta.label_lower, object_id=str(user.pk)
    ) | AuditEvent.objects.filter(
        object_type__in=[Membership._meta.label_lower, "goals.membership"], object_id__in=membership_ids
    )
    pattern = re.compile(r"(?<![\w.@+-])" + re.escape(old_username) + r"(?=:|$)", re.MULTILINE)
    for event in about:
        summary = pattern.sub(alias, event.summary)
        if summary != event.summary:
            AuditEvent.objects.filter(pk=event.pk).update(summary=summary)


def find_user(username):
    """The account by username, or None."""
    return get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
