from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from goals.deletion import DELETION_GUARDS
        from goals.standing import READERS
        from goals.targets import TARGET_LOCKS

        from .guards import assignment_follow_up, closed_period_rows, closed_year_targets, closed_years
        from .standing import latest_standing

        # goals knows nothing of follow-up; follow-up tells goals what a deletion must not take along, and
        # which years' targets are fixed.
        for guard in (closed_period_rows, closed_year_targets, assignment_follow_up):
            if guard not in DELETION_GUARDS:
                DELETION_GUARDS.append(guard)
        if closed_years not in TARGET_LOCKS:
            TARGET_LOCKS.append(closed_years)
        # The goal pages show each goal's latest follow-up, on every level of the chain.
        if latest_standing not in READERS:
            READERS.append(latest_standing)
