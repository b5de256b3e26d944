from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals import categories


class Command(BaseCommand):
    help = (
        "Install or bring up to date a category set shipped with Noramål (e.g. agenda2030); safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", choices=sorted(categories.SHIPPED_SETS), help="The set to install.")

    def handle(self, *args, key, **options):
        try:
            changed = categories.install_category_set(key)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if changed:
            self.stdout.write(
                _("The category set %(key)s is installed (%(count)d rows written).")
                % {"key": key, "count": changed}
            )
        else:
            self.stdout.write(_("The category set %(key)s was already up to date.") % {"key": key})
