from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from goals.deletion import DELETION_GUARDS
        from goals.targets import TARGET_LOCKS

        from .guards import closed_period_rows, closed_year_targets, closed_years

        # goals knows nothing of follow-up; follow-up tells goals what a deletion must not take along, and
        # which years' targets are fixed.
        for guard in (closed_period_rows, closed_year_targets):
            if guard not in DELETION_GUARDS:
                DELETION_GUARDS.append(guard)
        if closed_years not in TARGET_LOCKS:
            TARGET_LOCKS.append(closed_years)
