from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = _("Single sign-on")

    def ready(self):
        from . import signals  # noqa: F401 - connects the sign-in receiver
