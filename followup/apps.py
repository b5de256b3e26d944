from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from goals import standing
        from goals.deletion import DELETION_GUARDS

        from .guards import closed_period_rows
        from .status import Standing

        # goals knows nothing of follow-up; follow-up tells goals what a deletion must not take along.
        if closed_period_rows not in DELETION_GUARDS:
            DELETION_GUARDS.append(closed_period_rows)
        # …and how each goal is going, for the goal pages.
        if Standing not in standing.SOURCES:
            standing.SOURCES.append(Standing)
