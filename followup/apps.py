from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from accounts.personal_data import SOURCES as PERSONAL_DATA_SOURCES
        from goals import standing
        from goals.deletion import DELETION_GUARDS, OPEN_PERIODS
        from goals.targets import TARGET_LOCKS

        from .guards import (
            assignment_follow_up,
            closed_period_rows,
            closed_year_targets,
            closed_years,
            open_periods,
        )
        from .personal_data import PERSONAL_DATA
        from .standing import latest_standing
        from .status import Standing

        # goals knows nothing of follow-up; follow-up tells goals what a deletion must not take along, and
        # which years' targets are fixed.
        for guard in (closed_period_rows, closed_year_targets, assignment_follow_up):
            if guard not in DELETION_GUARDS:
                DELETION_GUARDS.append(guard)
        if open_periods not in OPEN_PERIODS:
            OPEN_PERIODS.append(open_periods)
        if closed_years not in TARGET_LOCKS:
            TARGET_LOCKS.append(closed_years)
        # …and how each goal is going, for the goal pages: its status, and its indicators' latest values on
        # every level of the chain.
        if Standing not in standing.SOURCES:
            standing.SOURCES.append(Standing)
        if latest_standing not in standing.READERS:
            standing.READERS.append(latest_standing)
        # …and accounts, what personal data it holds (the mail log, the calendar feeds).
        if PERSONAL_DATA not in PERSONAL_DATA_SOURCES:
            PERSONAL_DATA_SOURCES.append(PERSONAL_DATA)
