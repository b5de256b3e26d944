import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals import goalfile


class Command(BaseCommand):
    help = "Export the goal tree as a goal document (see docs/goal-format.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", metavar="PATH", help="Write the document here instead of to standard output."
        )
        parser.add_argument(
            "--format-version",
            type=int,
            choices=(1, 2),
            default=goalfile.VERSION,
            help="Version 2 (the default) holds any styrmodell; version 1 only Nora's shape of chain.",
        )

    def handle(self, *args, out=None, format_version=goalfile.VERSION, **options):
        try:
            doc = goalfile.export_document(version=format_version)
        except goalfile.GoalFileError as error:
            raise CommandError(str(error)) from None
        text = goalfile.dumps(doc)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(_("Exported the goal tree to %(path)s.") % {"path": out})
        elif options.get("stdout") is None and hasattr(sys.stdout, "buffer"):
            # The file is UTF-8 whatever the terminal's locale says.
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(text, ending="")
