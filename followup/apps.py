from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from goals.deletion import DELETION_GUARDS

        from .guards import assignment_follow_up, closed_period_rows

        # goals knows nothing of follow-up; follow-up tells goals what a deletion must not take along.
        if closed_period_rows not in DELETION_GUARDS:
            DELETION_GUARDS.append(closed_period_rows)
        if assignment_follow_up not in DELETION_GUARDS:
            DELETION_GUARDS.append(assignment_follow_up)
