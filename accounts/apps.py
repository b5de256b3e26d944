from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from .personal_data import forget_before_deletion

        pre_delete.connect(
            forget_before_deletion, sender=get_user_model(), dispatch_uid="accounts.forget_before_deletion"
        )
