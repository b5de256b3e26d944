from django.core.management.base import BaseCommand, CommandError

from goals.treecheck import tree_violations


class Command(BaseCommand):
    help = "Verify the goal tree's invariants; exit non-zero and list each violation when it is broken."

    def handle(self, *args, **options):
        problems = tree_violations()
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"The goal tree is broken: {len(problems)} problem(s) found.")
        self.stdout.write(self.style.SUCCESS("The goal tree is sound."))
