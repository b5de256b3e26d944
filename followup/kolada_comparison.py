"""Comparing with similar municipalities: what is compared, storing its figures from Kolada, the series.

The controller chooses Kolada's municipality groups and single municipalities (`KoladaComparison`);
the country (area "0000") is always shown. `fetch_kolada` asks Kolada for the figures of every area these
need (`areas`) and `store` keeps them in `KoladaComparisonValue`, writing only what is new or changed.
`series_for` turns them into what the indicator page and the reports show, on each indicator's scale:
a municipality's and the country's figures as Kolada gave them ("Källa: Kolada" with the fetch date), a
group as the average of its municipalities, which is our processing ("Egen bearbetning av data från Kolada").
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goals.numbers import format_number

from .kolada_models import COUNTRY, KoladaComparison, KoladaComparisonValue

GENDERS = {"T": "total", "K": "women", "M": "men"}
SEARCH_CACHE_SECONDS = 24 * 60 * 60
SEARCH_LIMIT = 50
SEARCH_QUERY_MAX = 100
MAX_MEMBERS = 400  # Sweden has 290 municipalities


def areas():
    """Every Kolada area whose figures the comparisons need, the country included; sorted."""
    wanted = {COUNTRY}
    for comparison in KoladaComparison.objects.all():
        wanted.update(comparison.areas)
    wanted.discard(str(settings.MUNICIPALITY_ID))  # our own figures are the indicator's values
    return sorted(wanted)


@dataclass
class Stored:
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def note(self):
        return _("Comparison figures from Kolada: %(new)d new, %(changed)d changed, %(same)d unchanged.") % {
            "new": self.new,
            "changed": self.changed,
            "same": self.unchanged,
        }


def store(records, *, dry_run=False):
    """Keep Kolada's figures of `records` (kolada.Record); only new or changed rows are written."""
    incoming = {}
    for record in records:
        figures = {GENDERS[g]: v for g, v in record.values if g in GENDERS and v is not None}
        if figures:
            key = (record.kpi, record.municipality, record.year)
            incoming[key] = {**incoming.get(key, {}), **figures}
    result = Stored()
    if not incoming:
        return result
    now = timezone.now()
    with transaction.atomic():
        kpis = {kpi for kpi, _area, _year in incoming}
        existing = {
            (row.kpi, row.area, row.year): row
            for row in KoladaComparisonValue.objects.select_for_update().filter(kpi__in=kpis)
        }
        new, changed = [], []
        for (kpi, area, year), figures in sorted(incoming.items()):
            figures = {name: figures.get(name) for name in ("total", "women", "men")}
            figures = {k: None if v is None else v.quantize(Decimal("0.000001")) for k, v in figures.items()}
            row = existing.get((kpi, area, year))
            if row is None:
                new.append(KoladaComparisonValue(kpi=kpi, area=area, year=year, fetched_at=now, **figures))
            elif any(getattr(row, k) != v for k, v in figures.items()):
                for name, value in figures.items():
                    setattr(row, name, value)
                row.fetched_at = now
                changed.append(row)
            else:
                result.unchanged += 1
        result.new, result.changed = len(new), len(changed)
        if not dry_run:
            KoladaComparisonValue.objects.bulk_create(new)
            KoladaComparisonValue.objects.bulk_update(changed, ["total", "women", "men", "fetched_at"])
    return result


# What the page and the reports show ---------------------------------------------------------------------


@dataclass
class Series:
    """One line beside the municipality: a comparison's figure per year, on the indicator's scale."""

    label: str
    processed: bool  # computed here (a group's average), not as Kolada gave it
    points: dict = field(default_factory=dict)  # year -> Decimal
    fetched_at: object = None  # the latest fetch of the figures shown

    @property
    def credit(self):
        if self.processed:
            return _("Own processing of data from Kolada")
        if self.fetched_at is None:
            return _("Source: Kolada")
        return _("Source: Kolada, fetched %(date)s") % {
            "date": f"{timezone.localdate(self.fetched_at):%Y-%m-%d}"
        }

    def text(self, year, decimals):
        value = self.points.get(year)
        return format_number(value, decimals) if value is not None else ""


def series_for(indicators, years=None):
    """{indicator id: [Series]} for the Kolada-linked `indicators` (objects or dicts with pk, kolada_kpi
    and kolada_scale): the chosen comparisons in their order, then the country. Two queries."""
    linked = []
    for indicator in indicators:
        get = indicator.get if isinstance(indicator, dict) else lambda n, i=indicator: getattr(i, n)
        if get("kolada_kpi"):
            linked.append((get("pk"), get("kolada_kpi"), Decimal(get("kolada_scale") or 1)))
    if not linked:
        return {}
    comparisons = list(KoladaComparison.objects.all())
    rows = KoladaComparisonValue.objects.filter(kpi__in={kpi for _pk, kpi, _scale in linked})
    if years is not None:
        rows = rows.filter(year__in=list(years))
    figures = {}  # kpi -> area -> year -> (total, fetched_at)
    for kpi, area, year, total, fetched_at in rows.values_list("kpi", "area", "year", "total", "fetched_at"):
        if total is not None:
            figures.setdefault(kpi, {}).setdefault(area, {})[year] = (total, fetched_at)
    result = {}
    for pk, kpi, scale in linked:
        of_kpi = figures.get(kpi, {})
        shown = []
        for comparison in comparisons:
            if comparison.is_group:
                shown.append(_average(comparison, of_kpi, scale))
            else:
                shown.append(_as_given(comparison.title, of_kpi.get(comparison.kolada_id, {}), scale))
        shown.append(_as_given(_("The whole country"), of_kpi.get(COUNTRY, {}), scale))
        result[pk] = [s for s in shown if s.points]
    return result


def _as_given(label, by_year, scale):
    series = Series(label, processed=False)
    for year, (total, fetched_at) in by_year.items():
        series.points[year] = total * scale
        series.fetched_at = max(filter(None, (series.fetched_at, fetched_at)))
    return series


def _average(comparison, of_kpi, scale):
    """The plain average of the group's municipalities that have a figure for the year."""
    series = Series(_("Average, %(group)s") % {"group": comparison.title}, processed=True)
    years = {}
    for member in comparison.members:
        for year, (total, _fetched) in of_kpi.get(member, {}).items():
            years.setdefault(year, []).append(total)
    for year, totals in years.items():
        series.points[year] = sum(totals) / len(totals) * scale
    return series


# Choosing: Kolada's groups and municipalities, searched by title and kept a day ---------------------------


@dataclass(frozen=True)
class Area:
    """A group or a municipality of Kolada's catalogue, as the controller's page lists it."""

    kind: str
    id: str
    title: str
    members: tuple = ()  # (id, title) of a group's municipalities

    @classmethod
    def from_kolada(cls, kind, item):
        if not isinstance(item, dict):
            return None
        area_id, title = item.get("id"), item.get("title")
        if not isinstance(area_id, str | int) or not isinstance(title, str) or not title.strip():
            return None
        area_id = str(area_id).strip()
        if not area_id or len(area_id) > 20 or not area_id.isalnum():
            return None
        members = ()
        if kind == KoladaComparison.Kind.GROUP:
            given = item.get("members")
            if not isinstance(given, list) or not given or len(given) > MAX_MEMBERS:
                return None
            members = tuple(
                (str(m["id"]), str(m.get("title") or m["id"])[:200])
                for m in given
                if isinstance(m, dict) and isinstance(m.get("id"), str) and m["id"].isdigit()
            )
            if not members:
                return None
        elif item.get("type") not in (None, "K"):
            return None  # a region (L) is not a municipality to compare with
        return cls(kind, area_id, title.strip()[:200], members)


class SearchError(ValueError):
    pass


PATHS = {
    KoladaComparison.Kind.GROUP: "municipality_groups",
    KoladaComparison.Kind.MUNICIPALITY: "municipality",
}


def search(kind, title, *, base_url=None):
    """Kolada's groups (or municipalities) whose title holds `title`, asked once a day for each title."""
    from . import kolada_api

    title = " ".join(str(title).split())
    if not title:
        raise SearchError(_("Write a word of the name to search for."))
    if len(title) > SEARCH_QUERY_MAX:
        raise SearchError(_("Search with at most %(n)d characters.") % {"n": SEARCH_QUERY_MAX})
    base = (base_url or settings.KOLADA_URL).rstrip("/")
    key = "kolada-area:" + hashlib.sha256(f"{base}\n{kind}\n{title.casefold()}".encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    client = kolada_api.Client(
        base, timeout=kolada_api.KPI_TIMEOUT, retries=kolada_api.KPI_RETRIES, backoff=kolada_api.KPI_BACKOFF
    )
    with client as asking:
        items = asking.catalogue(PATHS[kind], title, limit=SEARCH_LIMIT)
    found = [a for a in (Area.from_kolada(kind, item) for item in items) if a is not None]
    cache.set(key, found, SEARCH_CACHE_SECONDS)
    return found


def choose(area, *, user):
    """Add `area` to the comparisons (once); returns the comparison."""
    position = KoladaComparison.objects.count()
    comparison, _created = KoladaComparison.objects.get_or_create(
        kind=area.kind,
        kolada_id=area.id,
        defaults={
            "title": area.title,
            "members": [m for m, _title in area.members],
            "position": position,
            "added_by": user if user.is_authenticated else None,
        },
    )
    return comparison
