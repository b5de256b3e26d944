from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import Membership
from goals.models import Organisation

# username, password, first name, last name, role, organisation code (None: the council), superuser.
# The passwords are deliberately simple and listed in README.md: these users exist only in the demo.
DEMO_USERS = [
    ("redaktor-bn", "noramal-bn", "Berit", "Nilsson", Membership.Role.EDITOR, "BN", False),
    ("redaktor-ks", "noramal-ks", "Karl", "Svensson", Membership.Role.EDITOR, "KS", False),
    ("controller", "noramal-controller", "Cecilia", "Lund", Membership.Role.CONTROLLER, None, False),
    ("lasare", "noramal-lasare", "Lars", "Åberg", Membership.Role.READER, None, False),
    ("admin", "noramal-admin", "Anna", "Berg", Membership.Role.ADMIN, None, True),
]


# Every demo user gets USERNAME@nora.example (a domain that receives no mail), so that reminders show.
DEMO_MAIL_DOMAIN = "nora.example"


class Command(BaseCommand):
    help = (
        "Create one demo login per role (BN editor, KS editor, controller, reader, admin). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a real installation)."
        )

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _("Demo logins have well-known passwords: they are only created with DEBUG on.")
            )
        council = (
            Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).order_by("position", "pk").first()
        )
        codes = {code for *_rest, code, _su in DEMO_USERS if code}
        boards = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        missing = sorted(codes - set(boards)) + ([] if council else ["(council)"])
        if missing:
            raise CommandError(
                _("Import the goal chain first: the organisations %(codes)s are missing.")
                % {"codes": ", ".join(missing)}
            )
        user_model = get_user_model()
        for username, password, first, last, role, code, superuser in DEMO_USERS:
            user, _created = user_model.objects.update_or_create(
                username=username,
                defaults={
                    "email": f"{username}@{DEMO_MAIL_DOMAIN}",
                    "first_name": first,
                    "last_name": last,
                    "is_staff": superuser,
                    "is_superuser": superuser,
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            services.grant_role(user, boards[code] if code else council, role, by=None)
            self.stdout.write(
                f"{username} / {password}: {Membership.Role(role).label} ({code or council.code})"
            )
