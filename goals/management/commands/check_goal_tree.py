from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals.treecheck import tree_violations


class Command(BaseCommand):
    help = "Verify the goal tree's invariants; exit non-zero and list each violation when it is broken."

    def handle(self, *args, **options):
        problems = tree_violations()
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                _("The goal tree is broken: problems found: %(count)d.") % {"count": len(problems)}
            )
        self.stdout.write(self.style.SUCCESS(_("The goal tree is sound.")))
