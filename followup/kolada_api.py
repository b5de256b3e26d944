"""Kolada's API v3: fetch the values of the indicators that have a Kolada id.

The data path is `/data/kpi/{ids}/municipality/{ids}[/year/{years}]` under `NORAMAL_KOLADA_URL`. An answer
holds `values` (records as in a downloaded file, read by `kolada.parse_items`) and `count`, and links its
next page as `next_url` or `next_page`. Requests carry at most `BATCH` ids of each kind; a 422 (too many
ids) halves the batch. The client waits between requests (at most `RATE` a second), gives each a timeout,
and tries again with a growing pause on 429, 5xx and broken connections. Next-page links are followed only
on Kolada's own host, and only up to `MAX_PAGES`.

The catalogue: `search_kpis` asks `/kpi?title=…` for the indicator form's KPI search, and keeps each
answer a day in Django's cache.
"""

import hashlib
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import jsondepth

from . import kolada, kolada_comparison
from .imports import ImportReport

BATCH = 25
RATE = 5  # requests per second, at most
TIMEOUT = 20  # seconds per request
RETRIES = 4
BACKOFF = 1.0  # seconds before the first retry; doubled each time
MAX_PAGES = 1000
MAX_BYTES = 20 * 1024 * 1024
RETRIED = {429, 500, 502, 503, 504}


class KoladaUnavailable(Exception):
    """Kolada could not be asked (no answer, refused, or an answer that is not its API's); nothing changed."""


@dataclass
class Fetched:
    """What the API gave: the records, the notes for the report, and the KPIs that returned nothing."""

    records: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    requests: int = 0


class Client:
    """One conversation with the API: its connections, the pause between requests and the retries."""

    def __init__(self, base_url=None, *, timeout=TIMEOUT, retries=RETRIES, backoff=BACKOFF, rate=RATE):
        self.base_url = (base_url or settings.KOLADA_URL).rstrip("/") + "/"
        self.retries, self.backoff, self.interval = retries, backoff, 1 / rate
        self.http = httpx.Client(timeout=timeout, headers={"Accept": "application/json"})
        self._last = None
        self.requests = 0

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # Requests ----------------------------------------------------------------------------------------------

    def _wait_for_turn(self):
        if self._last is not None:
            pause = self._last + self.interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last = time.monotonic()

    def get(self, url):
        """GET `url` and return the JSON document; retried on 429, 5xx and connection errors."""
        for attempt in range(self.retries + 1):
            self._wait_for_turn()
            self.requests += 1
            try:
                response = self.http.get(url)
            except httpx.TransportError as error:
                if attempt == self.retries:
                    raise KoladaUnavailable(
                        _("Kolada did not answer (%(error)s) after %(tries)d tries.")
                        % {"error": type(error).__name__, "tries": attempt + 1}
                    ) from None
            else:
                if response.status_code not in RETRIED:
                    return self._document(response)
                if attempt == self.retries:
                    raise KoladaUnavailable(
                        _("Kolada answered HTTP %(status)d after %(tries)d tries.")
                        % {"status": response.status_code, "tries": attempt + 1}
                    )
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def _document(self, response):
        if response.status_code == 422:
            raise TooManyIds
        if response.status_code != 200:
            raise KoladaUnavailable(
                _("Kolada answered HTTP %(status)d for %(url)s.")
                % {"status": response.status_code, "url": response.url}
            )
        if len(response.content) > MAX_BYTES:
            raise KoladaUnavailable(_("Kolada's answer is larger than 20 MB."))
        try:
            doc = jsondepth.loads(response.content.decode("utf-8-sig"), parse_float=Decimal)
        except (ValueError, jsondepth.TooDeep):
            raise KoladaUnavailable(_("Kolada's answer is not JSON.")) from None
        if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
            raise KoladaUnavailable(_('Kolada\'s answer has no list of records under "values".'))
        return doc

    def _next(self, doc, url):
        link = doc.get("next_url") or doc.get("next_page")
        if not link:
            return None
        following = urljoin(url, str(link))
        if urlsplit(following).netloc != urlsplit(self.base_url).netloc:
            raise KoladaUnavailable(_("Kolada's next page points to another host: %(url)s") % {"url": link})
        return following

    def pages(self, url):
        """Every record of a paged answer, with a note when the count Kolada gave does not match."""
        items, count, first = [], None, url
        for _page in range(MAX_PAGES):
            doc = self.get(url)
            items += doc["values"]
            if count is None and isinstance(doc.get("count"), int):
                count = doc["count"]
            url = self._next(doc, url)
            if url is None:
                break
        else:
            raise KoladaUnavailable(_("Kolada's answer has more than %(n)d pages.") % {"n": MAX_PAGES})
        notes = []
        if count is not None and count != len(items):
            notes.append(
                _("Kolada said %(count)d records for %(url)s but gave %(given)d.")
                % {"count": count, "url": first, "given": len(items)}
            )
        return items, notes

    # Values ------------------------------------------------------------------------------------------------

    def data_url(self, kpis, municipalities, years):
        path = f"data/kpi/{','.join(kpis)}/municipality/{','.join(municipalities)}"
        if years:
            path += f"/year/{','.join(str(y) for y in years)}"
        return urljoin(self.base_url, path)

    def values(self, kpis, municipalities, years=()):
        """The records of `kpis` for `municipalities` (and `years`, all when empty), in batches."""
        fetched = Fetched()
        kpis, municipalities = sorted(set(kpis)), sorted(set(municipalities))
        for start in range(0, len(kpis), BATCH):
            for place in range(0, len(municipalities), BATCH):
                self._batch(
                    kpis[start : start + BATCH], municipalities[place : place + BATCH], years, fetched
                )
        fetched.requests = self.requests
        return fetched

    def _batch(self, kpis, municipalities, years, fetched):
        try:
            items, notes = self.pages(self.data_url(kpis, municipalities, years))
        except TooManyIds:
            if len(kpis) == 1 and len(municipalities) == 1:
                raise KoladaUnavailable(
                    _("Kolada refused the request for %(kpi)s.") % {"kpi": kpis[0]}
                ) from None
            if len(kpis) > 1:
                half = len(kpis) // 2
                self._batch(kpis[:half], municipalities, years, fetched)
                self._batch(kpis[half:], municipalities, years, fetched)
            else:
                half = len(municipalities) // 2
                self._batch(kpis, municipalities[:half], years, fetched)
                self._batch(kpis, municipalities[half:], years, fetched)
            return
        fetched.notes += notes
        try:
            fetched.records += kolada.parse_items(items)
        except kolada.KoladaError as error:
            raise KoladaUnavailable(
                _("Kolada's answer could not be read: %(error)s") % {"error": error}
            ) from None

    # The KPI catalogue ------------------------------------------------------------------------------------

    def kpis(self, title, *, limit):
        """The first `limit` KPIs whose title holds `title`, and the number Kolada says it found."""
        url = urljoin(self.base_url, "kpi") + "?" + urlencode({"title": title})
        found, count = [], None
        for _page in range(KPI_PAGES):
            try:
                doc = self.get(url)
            except TooManyIds:  # no ids here: the search itself was refused
                raise KoladaUnavailable(_("Kolada refused the search.")) from None
            if count is None and isinstance(doc.get("count"), int):
                count = doc["count"]
            found += filter(None, (Kpi.from_kolada(item) for item in doc["values"]))
            url = self._next(doc, url)
            if url is None or len(found) >= limit:
                break
        return found[:limit], max(count or 0, len(found))

    def catalogue(self, path, title, *, limit):
        """The first `limit` records of a catalogue (`municipality_groups`, `municipality`) by title."""
        url = urljoin(self.base_url, path) + "?" + urlencode({"title": title})
        found = []
        for _page in range(KPI_PAGES):
            try:
                doc = self.get(url)
            except TooManyIds:
                raise KoladaUnavailable(_("Kolada refused the search.")) from None
            found += doc["values"]
            url = self._next(doc, url)
            if url is None or len(found) >= limit:
                break
        return found[:limit]


class TooManyIds(Exception):  # noqa: N818 - Kolada's 422, handled by halving the batch
    pass


def fetch(*, years=(), dry_run=False, user=None, base_url=None, client=None):
    """Fetch every Kolada-linked indicator's values for our municipality and import them.

    Returns the import report, with notes naming the KPIs that returned nothing. `client`: a Client
    with other pauses or timeouts than the defaults (it is closed afterwards).
    """
    from goals.models import Indicator

    kpis = sorted(set(Indicator.objects.exclude(kolada_kpi="").values_list("kolada_kpi", flat=True)))
    municipality = str(settings.MUNICIPALITY_ID)
    if not kpis:
        report = ImportReport(dry_run=dry_run)
        report.notes.append(_("No indicator has a Kolada KPI id."))
        return report
    areas = kolada_comparison.areas()
    with client or Client(base_url) as asking:
        fetched = asking.values(kpis, [municipality, *areas], years)
    # Our figures become the indicators' values; the comparison areas' figures are kept on their own.
    ours = [r for r in fetched.records if r.municipality == municipality]
    compared = [r for r in fetched.records if r.municipality in set(areas)]
    notes = list(fetched.notes)
    missing = sorted(set(kpis) - {r.kpi for r in ours})
    if missing:
        notes.append(_("Kolada returned nothing for: %(kpis)s.") % {"kpis": ", ".join(missing)})
    notes.append(
        _("%(records)d records from Kolada in %(requests)d requests.")
        % {"records": len(fetched.records), "requests": fetched.requests}
    )
    report = kolada.import_records(ours, notes=notes, user=user, dry_run=dry_run)
    report.notes.append(kolada_comparison.store(compared, dry_run=dry_run).note())
    return report


# The KPI catalogue: a search by title from the indicator form, kept for a day. A person waits for it, so it
# tries once more at most and gives up sooner than a fetch does.
KPI_LIMIT = 50
KPI_PAGES = 10
KPI_QUERY_MAX = 100
KPI_CACHE_SECONDS = 24 * 60 * 60
KPI_TIMEOUT = 10
KPI_RETRIES = 1
KPI_BACKOFF = 0.5
KPI_TITLE_MAX = 300  # Indicator.name
KPI_DESCRIPTION_MAX = 4000
KPI_UNIT_MAX = 40  # Indicator.unit
KPI_ID = re.compile(r"[NU]\d{5}")  # what Indicator.kolada_kpi accepts
FOR_WHOM = {
    "K": gettext_lazy("municipalities"),
    "L": gettext_lazy("regions"),
    "A": gettext_lazy("municipalities and regions"),
}


@dataclass(frozen=True)
class Kpi:
    """One KPI of Kolada's catalogue, as the indicator form needs it."""

    id: str
    title: str
    description: str
    gender_split: bool
    municipality_type: str  # "K" municipalities, "L" regions, "A" both
    operating_area: str

    @classmethod
    def from_kolada(cls, item):
        """The KPI of one catalogue record, or None when the record is not one Kolada's API gives."""
        if not isinstance(item, dict):
            return None
        kpi_id, title = item.get("id"), item.get("title")
        if not isinstance(kpi_id, str) or not KPI_ID.fullmatch(kpi_id) or not isinstance(title, str):
            return None
        description, area = item.get("description"), item.get("operating_area")
        kind = item.get("municipality_type")
        return cls(
            id=kpi_id,
            title=title.strip()[:KPI_TITLE_MAX],
            description=description.strip()[:KPI_DESCRIPTION_MAX] if isinstance(description, str) else "",
            gender_split=item.get("is_divided_by_gender") is True,
            municipality_type=kind if kind in FOR_WHOM else "",
            operating_area=area.strip()[:200] if isinstance(area, str) else "",
        )

    @property
    def unit(self):
        """Kolada names the unit last in the title: "…, andel (%)", "…, antal", "…, kr/elev"."""
        if "," not in self.title:
            return ""
        last = self.title.rsplit(",", 1)[1].strip()
        if "%" in last:
            return "%"
        return last if len(last) <= KPI_UNIT_MAX else ""

    @property
    def for_whom(self):
        return FOR_WHOM.get(self.municipality_type, "")

    def indicator_fields(self):
        """The indicator form's fields this KPI fills in; the description ends with the source."""
        source = _("Source: Kolada, KPI %(id)s") % {"id": self.id}
        if self.for_whom:
            source += _(", for %(whom)s") % {"whom": self.for_whom}
        description = f"{self.description}\n\n{source}." if self.description else f"{source}."
        return {
            "kolada_kpi": self.id,
            "name": self.title,
            "description": description,
            "unit": self.unit,
            "gender_split": "true" if self.gender_split else "false",
            "kolada_municipality_type": self.municipality_type,
        }


class KpiQueryError(ValueError):
    """The title to search for is empty or too long."""


@dataclass
class KpiSearch:
    kpis: list
    count: int  # what Kolada found; more than len(kpis) when the list was cut at KPI_LIMIT
    requests: int = 0


def search_kpis(title, *, base_url=None):
    """KPIs of Kolada's catalogue whose title holds `title`, asked once a day for each title.

    Raises KpiQueryError for an empty or too long title and KoladaUnavailable when Kolada does not answer.
    """
    title = " ".join(str(title).split())
    if not title:
        raise KpiQueryError(_("Write a word of the KPI's title to search for."))
    if len(title) > KPI_QUERY_MAX:
        raise KpiQueryError(
            _("Search with at most %(n)d characters; a word or two of the title is enough.")
            % {"n": KPI_QUERY_MAX}
        )
    base = (base_url or settings.KOLADA_URL).rstrip("/")
    key = "kolada-kpi:" + hashlib.sha256(f"{base}\n{title.casefold()}".encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    with Client(base, timeout=KPI_TIMEOUT, retries=KPI_RETRIES, backoff=KPI_BACKOFF) as asking:
        kpis, count = asking.kpis(title, limit=KPI_LIMIT)
        found = KpiSearch(kpis, count, asking.requests)
    cache.set(key, found, KPI_CACHE_SECONDS)
    return found
