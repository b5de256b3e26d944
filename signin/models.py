"""Which identity-provider group gives which role, and which memberships single sign-on keeps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .goalsapi import Membership, Organisation


class GroupRoleMapping(models.Model):
    """Members of `group` at the identity provider hold `role` in `organisation` here."""

    group = models.CharField(
        _("group"),
        max_length=255,
        help_text=_(
            "The group's name or id exactly as the identity provider sends it, e.g. NORA-BN-redaktor."
        ),
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)

    class Meta:
        ordering = ["group", "organisation", "role"]
        verbose_name = _("group role mapping")
        verbose_name_plural = _("group role mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation", "role"], name="one_mapping_per_group_role"
            )
        ]

    def __str__(self):
        return f"{self.group} → {self.get_role_display()} – {self.organisation.code}"


class ManagedMembership(models.Model):
    """A membership that single sign-on granted from a group and takes away when the group goes.

    Memberships granted by hand have no such row and are never touched by a sign-in.
    """

    membership = models.OneToOneField(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="sso_managed"
    )
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership from single sign-on")
        verbose_name_plural = _("memberships from single sign-on")

    def __str__(self):
        return str(self.membership)
