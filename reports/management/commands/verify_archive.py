from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.archive import checksum
from reports.models import PublishedReport


class Command(BaseCommand):
    help = "Check every published report's bytes against its stored SHA-256 and size (after a restore, say)."

    def handle(self, *args, **options):
        bad, count = [], 0
        # One row at a time: the PDFs can be large.
        for pk in PublishedReport.objects.order_by("pk").values_list("pk", flat=True):
            report = PublishedReport.objects.only("pdf", "sha256", "size", "title", "version").get(pk=pk)
            data = bytes(report.pdf)
            count += 1
            if checksum(data) != report.sha256 or len(data) != report.size:
                bad.append(f"{report} (id {pk})")
        for line in bad:
            self.stderr.write(f"- {line}")
        if bad:
            raise CommandError(
                _("%(bad)d of %(count)d published reports do not match their SHA-256.")
                % {"bad": len(bad), "count": count}
            )
        self.stdout.write(
            self.style.SUCCESS(_("All %(count)d published reports match their SHA-256.") % {"count": count})
        )
