"""What the indicators are compared with: the controller's choice of Kolada's areas and their fetched figures.

`KoladaComparison` is a setting of the installation: a municipality group of Kolada's ("Liknande kommuner …",
kept with its members as they were when it was chosen) or a single municipality. The country (area "0000")
is always compared with. `KoladaComparisonValue` holds Kolada's figures for those areas, by KPI, area and
year, as Kolada gave them (before an indicator's scale factor): never in the municipality's own values.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

COUNTRY = "0000"


class KoladaComparison(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("Municipality group")
        MUNICIPALITY = "municipality", _("Municipality")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    kolada_id = models.CharField(_("Kolada id"), max_length=20)
    title = models.CharField(_("name"), max_length=200)
    # A group's municipalities (Kolada ids) as Kolada listed them when the group was chosen.
    members = models.JSONField(_("members"), default=list, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("comparison in Kolada")
        verbose_name_plural = _("comparisons in Kolada")
        constraints = [
            models.UniqueConstraint(fields=["kind", "kolada_id"], name="one_comparison_per_kolada_area")
        ]

    def __str__(self):
        return self.title

    @property
    def is_group(self):
        return self.kind == self.Kind.GROUP

    @property
    def areas(self):
        """The Kolada areas whose figures it needs."""
        return list(self.members) if self.is_group else [self.kolada_id]


class KoladaComparisonValue(models.Model):
    """Kolada's figure for one KPI, area (a municipality or the country) and year, as fetched."""

    kpi = models.CharField(_("Kolada KPI"), max_length=20)
    area = models.CharField(_("Kolada area"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.DecimalField(_("total"), max_digits=20, decimal_places=6, null=True, blank=True)
    women = models.DecimalField(_("women"), max_digits=20, decimal_places=6, null=True, blank=True)
    men = models.DecimalField(_("men"), max_digits=20, decimal_places=6, null=True, blank=True)
    # When this figure was fetched (kept while Kolada gives the same figure again).
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        ordering = ["kpi", "area", "year"]
        verbose_name = _("comparison figure from Kolada")
        verbose_name_plural = _("comparison figures from Kolada")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "area", "year"], name="one_comparison_value_per_place")
        ]

    def __str__(self):
        return f"{self.kpi} {self.area} {self.year}: {self.total}"
