"""What each person has left to do in the open periods ("Mina uppgifter" on Min sida, the reminder digests,
the calendar feed).

A person's work is that of the organisations whose follow-up they write as their own: an editor's
organisations and their parts (the council's part is never an editor's), and for a controller the council's.
A controller may write every board's follow-up too, but a board's work is its editors' to do.
Per organisation and open period the counts are the period overview's (`overview.overview`, one rule):
values missing, judgements not submitted (drafts, sent back ones among them), activities and assignments
without a status — each with the organisation's own deadline (`calendar.deadline_for`, staggered by level).
Everything is read in a constant number of queries, for one person or for everyone at once.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership
from accounts.roles import Role, is_controller, role_pairs
from goals.models import Organisation
from goals.permissions import with_parts

from .calendar import deadline_for
from .models import Assessment, PeriodDeadline, ReportingPeriod
from .overview import overview


@dataclass
class Task:
    """One kind of work left for one organisation in one period, with where to do it."""

    kind: str
    count: int
    text: str
    url: str
    link: str = ""  # the absolute address, for a mail


@dataclass
class OrganisationWork:
    period: ReportingPeriod
    organisation: Organisation
    deadline: object
    tasks: list = field(default_factory=list)
    late: bool = False


@dataclass
class PeriodWork:
    """A person's work in one open period: per organisation, and the earliest of their deadlines."""

    period: ReportingPeriod
    organisations: list = field(default_factory=list)

    @property
    def deadline(self):
        return min((w.deadline for w in self.organisations if w.deadline), default=None)


def open_periods():
    """The open periods in time order, their deadlines read with them."""
    steps = Prefetch("deadlines", queryset=PeriodDeadline.objects.order_by("position", "pk"))
    return sorted(ReportingPeriod.objects.open().prefetch_related(steps), key=lambda p: p.sort_key)


def _returned(periods):
    """{(owner id, period id): [(goal id, goal title)] of the judgements sent back and still in draft}."""
    rows = (
        Assessment.objects.filter(period__in=periods, state=Assessment.State.DRAFT)
        .exclude(return_comment="")
        .order_by("goal__title", "goal_id")
        .values_list("goal__owner_id", "period_id", "goal_id", "goal__title")
    )
    found = {}
    for owner, period, goal, title in rows:
        found.setdefault((owner, period), []).append((goal, title))
    return found


def _tasks(row, period, returned):
    """The tasks of one overview row (an organisation in a period), with links to its pages; each judgement
    sent back is a task of its own, linked to its page (`returned`: [(goal id, goal title)])."""
    org, pk = row.organisation, period.pk
    judgements = row.not_started + row.draft - len(returned)
    counts = [
        (
            "values",
            row.values_missing,
            ngettext("%(n)d indicator value missing", "%(n)d indicator values missing", row.values_missing),
            reverse("followup:values", args=[pk, org.pk]),
        ),
        (
            "judgements",
            judgements,
            ngettext("%(n)d judgement not submitted", "%(n)d judgements not submitted", judgements),
            reverse("followup:assessments", args=[pk, org.pk]),
        ),
        (
            "activities",
            row.activities - row.statuses,
            ngettext(
                "%(n)d activity without status",
                "%(n)d activities without status",
                row.activities - row.statuses,
            ),
            reverse("followup:activities", args=[pk, org.pk]),
        ),
        (
            "assignments",
            row.assignments_missing,
            ngettext(
                "%(n)d assignment without status", "%(n)d assignments without status", row.assignments_missing
            ),
            reverse("followup:assignments", args=[pk, org.pk]),
        ),
    ]
    sent_back = [
        Task(
            "returned",
            1,
            _("The judgement of “%(goal)s” was sent back") % {"goal": title},
            reverse("followup:assessment", args=[pk, goal]),
        )
        for goal, title in returned
    ]
    tasks = [Task(kind, n, text % {"n": n}, url) for kind, n, text, url in counts if n > 0]
    return tasks[:1] + sent_back + tasks[1:]


def organisation_work(periods, today=None):
    """{(organisation id, period id): OrganisationWork} of every organisation with work left."""
    today = today or timezone.localdate()
    returned = _returned(periods)
    work = {}
    for period in periods:
        steps = list(period.deadlines.all())
        for row in overview(period, today):
            org = row.organisation
            tasks = _tasks(row, period, returned.get((org.pk, period.pk), []))
            if tasks:
                deadline = deadline_for(period, org, steps)
                late = bool(deadline and deadline < today)
                work[(org.pk, period.pk)] = OrganisationWork(period, org, deadline, tasks, late)
    return work


def own_organisation_ids(user, organisations):
    """Ids of the organisations whose work is `user`'s own (see the module's docstring); `organisations`:
    {id: Organisation} of all of them."""
    editor_of = {org for role, org in role_pairs(user) if role == Role.EDITOR}
    parents = {pk: org.parent_id for pk, org in organisations.items()}
    own = {pk for pk in with_parts(editor_of, parents) if organisations[pk].kind != Organisation.Kind.COUNCIL}
    if is_controller(user):
        own |= {pk for pk, org in organisations.items() if org.kind == Organisation.Kind.COUNCIL}
    return own


def _for(user, periods, work, organisations):
    own = own_organisation_ids(user, organisations)
    result = []
    for period in periods:
        items = [w for (org, pk), w in work.items() if pk == period.pk and org in own]
        if items:
            items.sort(key=lambda w: (w.organisation.kind != Organisation.Kind.COUNCIL, w.organisation.name))
            result.append(PeriodWork(period, items))
    return result


def worklist(user, today=None):
    """The user's work left, per open period ([] for a reader and for anyone with nothing left)."""
    if not user.is_authenticated:
        return []
    periods = open_periods()
    if not periods:
        return []
    work = organisation_work(periods, today)
    organisations = all_organisations() if work else {}
    return _for(user, periods, work, organisations)


def all_organisations():
    return {o.pk: o for o in Organisation.objects.only("pk", "parent_id", "kind", "name", "code")}


def everyones_work(today=None):
    """[(user, [PeriodWork])] of every active user with an e-mail address and work left, read at once."""
    periods = open_periods()
    if not periods:
        return []
    work = organisation_work(periods, today)
    if not work:
        return []
    organisations = all_organisations()
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(memberships__isnull=False) | Q(is_superuser=True))
        .distinct()
        .select_related("mail_preference")
        .order_by("pk")
    )
    users = list(users)
    pairs = {}
    for user_id, role, org in Membership.objects.filter(user__in=users).values_list(
        "user_id", "role", "organisation_id"
    ):
        pairs.setdefault(user_id, set()).add((role, org))
    result = []
    for user in users:
        user._noramal_roles = frozenset(pairs.get(user.pk, ()))  # the cache accounts.roles reads
        periods_left = _for(user, periods, work, organisations)
        if periods_left:
            result.append((user, periods_left))
    return result
