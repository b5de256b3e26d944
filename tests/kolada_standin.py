"""A stand-in for Kolada's API v3 on 127.0.0.1, serving recorded records the way the API pages them.

It answers `/v3/data/kpi/{ids}/municipality/{ids}[/year/{years}]` from a list of records (the recorded
sample by default), `page_size` records a page, linking the next page as `next_url` (or `next_page`, every
other page, when `link` is "both"). More than `max_ids` ids of a kind answer 422, as Kolada does. Scripted
troubles: `failures` is a list of statuses (or "slow") given to the next requests before answering properly.
Every request is recorded with its arrival time.

`/v3/kpi?title=…` searches the KPI catalogue (the recorded extract by default) by a part of the title,
paged the same way. `/v3/municipality_groups?title=…` and `/v3/municipality?title=…` search the recorded
groups and municipalities. The country's (area "0000") recorded figures are among the records by default.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "kolada" / "N15428_sample_v2.json"
CATALOGUE = SAMPLE.with_name("kpi_catalogue_v3.json")
GROUPS = SAMPLE.with_name("municipality_groups_v3.json")
MUNICIPALITIES = SAMPLE.with_name("municipalities_v3.json")
COUNTRY = SAMPLE.with_name("N15428_country_v3.json")


def recorded_records():
    return json.loads(SAMPLE.read_text())["values"]


def recorded_country():
    return json.loads(COUNTRY.read_text())["values"]


def _recorded(path):
    return json.loads(path.read_text())["values"]


def recorded_kpis():
    return json.loads(CATALOGUE.read_text())["values"]


@dataclass
class Arrival:
    path: str
    at: float


@dataclass
class Standin:
    records: list = field(default_factory=lambda: recorded_records() + recorded_country())
    kpis: list = field(default_factory=recorded_kpis)
    groups: list = field(default_factory=lambda: _recorded(GROUPS))
    municipalities: list = field(default_factory=lambda: _recorded(MUNICIPALITIES))
    page_size: int = 10
    max_ids: int = 25
    link: str = "next_url"  # or "next_page", or "both"
    failures: list = field(default_factory=list)
    slow_seconds: float = 1.0
    next_host: str | None = None  # a next-page link to another host (which the client must refuse)
    arrivals: list = field(default_factory=list)
    url: str = ""

    def answer(self, path, query):
        self.arrivals.append(Arrival(path, time.monotonic()))
        if self.failures:
            failure = self.failures.pop(0)
            if failure == "slow":
                time.sleep(self.slow_seconds)
            else:
                return failure, {"error": "scripted"}
        parts = path.strip("/").split("/")
        if parts == ["v3", "kpi"]:
            title = query.get("title", [""])[0].casefold()
            return self._page(path, query, [k for k in self.kpis if title in k["title"].casefold()])
        if parts in (["v3", "municipality_groups"], ["v3", "municipality"]):
            title = query.get("title", [""])[0].casefold()
            listed = self.groups if parts[1] == "municipality_groups" else self.municipalities
            return self._page(path, query, [g for g in listed if title in g["title"].casefold()])
        if parts[:3] != ["v3", "data", "kpi"] or len(parts) not in (6, 8) or parts[4] != "municipality":
            return 404, {"error": "not found"}
        kpis, municipalities = parts[3].split(","), parts[5].split(",")
        years = {int(y) for y in parts[7].split(",")} if len(parts) == 8 else None
        if len(kpis) > self.max_ids or len(municipalities) > self.max_ids:
            return 422, {"error": "too many ids"}
        found = [
            r
            for r in self.records
            if r["kpi"] in kpis
            and r["municipality"] in municipalities
            and (years is None or r["period"] in years)
        ]
        return self._page(path, query, found)

    def _page(self, path, query, found):
        page = int(query.get("page", ["1"])[0])
        start = (page - 1) * self.page_size
        doc = {"count": len(found), "values": found[start : start + self.page_size]}
        if start + self.page_size < len(found):
            name = self.link if self.link != "both" else ("next_url" if page % 2 else "next_page")
            host = self.next_host or self.url
            rest = {k: v[0] for k, v in query.items() if k != "page"}
            doc[name] = f"{host}{path}?{urlencode({**rest, 'page': page + 1})}"
        return 200, doc


def serve(standin):
    """Start `standin` on 127.0.0.1 in a thread; returns the server (call shutdown())."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            status, doc = standin.answer(parts.path, parse_qs(parts.query))
            body = json.dumps(doc).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
