"""Kolada's API v3: fetch the values of the indicators that have a Kolada id.

The data path is `/data/kpi/{ids}/municipality/{ids}[/year/{years}]` under `NORAMAL_KOLADA_URL`. An answer
holds `values` (records as in a downloaded file, read by `kolada.parse_items`) and `count`, and links its
next page as `next_url` or `next_page`. Requests carry at most `BATCH` ids of each kind; a 422 (too many
ids) halves the batch. The client waits between requests (at most `RATE` a second), gives each a timeout,
and tries again with a growing pause on 429, 5xx and broken connections. Next-page links are followed only
on Kolada's own host, and only up to `MAX_PAGES`.
"""

import time
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from goals import jsondepth

from . import kolada
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

    def kpis_without_values(self, kpis):
        found = {record.kpi for record in self.records}
        return sorted(set(kpis) - found)


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
    with client or Client(base_url) as asking:
        fetched = asking.values(kpis, [municipality], years)
    notes = list(fetched.notes)
    missing = fetched.kpis_without_values(kpis)
    if missing:
        notes.append(_("Kolada returned nothing for: %(kpis)s.") % {"kpis": ", ".join(missing)})
    notes.append(
        _("%(records)d records from Kolada in %(requests)d requests.")
        % {"records": len(fetched.records), "requests": fetched.requests}
    )
    return kolada.import_records(fetched.records, notes=notes, user=user, dry_run=dry_run)
