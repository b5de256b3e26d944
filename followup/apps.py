from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from goals.deletion import DELETION_GUARDS
        from goals.standing import READERS

        from .guards import assignment_follow_up, closed_period_rows

        # goals knows nothing of follow-up; follow-up tells goals what a deletion must not take along.
        if closed_period_rows not in DELETION_GUARDS:
            DELETION_GUARDS.append(closed_period_rows)
        if assignment_follow_up not in DELETION_GUARDS:
            DELETION_GUARDS.append(assignment_follow_up)
        from .standing import latest_standing

        # The goal pages show each goal's latest follow-up, on every level of the chain.
        if latest_standing not in READERS:
            READERS.append(latest_standing)
