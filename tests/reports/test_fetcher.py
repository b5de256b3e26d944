"""Rendering fetches nothing but the app's own static files: no request leaves, no local file leaks in."""

import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from pypdf import PdfReader

from goals.models import Goal, Organisation
from reports import pdf
from reports.data import Spec, build_report
from reports.models import Kind
from reports.output import report_pdf
from tests.levels import Level

OWN = pdf.BASE_URL.rstrip("/")


@pytest.fixture
def server():
    """A local HTTP server that records every request it receives (and answers each with a tiny PNG)."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        do_POST = do_HEAD = do_GET

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def canary(tmp_path):
    """A local file with a unique secret: it must never end up in a PDF."""
    secret = f"CANARY-{secrets.token_hex(12)}"
    path = tmp_path / "canary.txt"
    path.write_text(secret)
    return path, secret


def contains(data, needle):
    """Whether the PDF holds `needle` anywhere: raw, in any decompressed stream, or as an attachment."""
    raw = needle.encode()
    if raw in data:
        return True
    reader = PdfReader(BytesIO(data))
    if any(raw in content for contents in reader.attachments.values() for content in contents):
        return True
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        stream = getattr(obj, "get_data", None)
        if stream is not None and raw in stream():
            return True
    return False


@pytest.mark.parametrize(
    "url",
    [
        f"{OWN}/static/css/report.css",
        f"{OWN}/static/css/%72eport.css",  # percent-encoded, still the same file
    ],
)
def test_fetcher_serves_the_apps_own_static_files(url):
    response = pdf.StaticOnlyFetcher().fetch(url)
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/css/report.css",
        "file:///etc/passwd",
        "file:///tmp/canary",
        "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'><image href='http://127.0.0.1:9/x'/></svg>",
        "data:text/plain,hello",
        "ftp://127.0.0.1/x",
        f"{OWN}/static/../noramal/settings.py",
        f"{OWN}/static/%2e%2e/%2e%2e/noramal/settings.py",
        f"{OWN}/static/css/report.css?x=1",
        f"{OWN}/static/",
        f"{OWN}/etc/passwd",
        f"{OWN}/static/css/missing.css",
        f"{OWN}/static/css/..%5C..%5Csettings.css",
        "https://user:pw@report.noramal.invalid/static/css/report.css",
        "http://report.noramal.invalid/static/css/report.css",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = pdf.StaticOnlyFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert pdf.static_file(url) is None


def test_fetcher_refuses_the_test_server_without_a_request(server):
    address, seen = server
    for url in (f"{address}/a.png", f"{address}/b.css"):
        with pytest.raises(pdf.RefusedURL):
            pdf.StaticOnlyFetcher()(url)
    assert seen == []


HOSTILE = """<!doctype html><html lang="sv"><head><title>Fientlig</title>
<link rel="stylesheet" href="{address}/style.css">
<link rel="attachment" href="file://{canary}">
<link rel="attachment" href="{address}/attached.txt">
<style>@import url("{address}/import.css"); body {{ background: url("{address}/bg.png"); }}
@font-face {{ font-family: X; src: url("{address}/font.woff2"); }} p {{ font-family: X; }}</style>
</head><body>
<p>Text</p>
<img src="{address}/x.png" alt="x">
<img src="file://{canary}" alt="y">
<div style="background-image: url('{address}/inline.png')">z</div>
<a rel="attachment" href="file://{canary}">bilaga</a>
<a rel="attachment" href="{address}/bilaga.txt">bilaga 2</a>
<object data="{address}/object.svg" type="image/svg+xml"></object>
<embed src="{address}/embed.svg" type="image/svg+xml">
<iframe src="{address}/frame.html"></iframe>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>s</title>
<image href="{address}/svg.png" width="10" height="10"/>
<image href="file://{canary}" width="10" height="10"/></svg>
<img alt="n" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Cimage \
href='{address}/nested.png'/%3E%3C/svg%3E">
</body></html>"""


def test_a_hostile_report_html_causes_no_request_and_leaks_no_file(server, canary):
    address, seen = server
    path, secret = canary
    rendered = pdf.render_pdf(HOSTILE.format(address=address, canary=path))
    assert rendered.data.startswith(b"%PDF")
    assert seen == []
    assert not contains(rendered.data, secret)
    assert PdfReader(BytesIO(rendered.data)).attachments == {}


def test_without_the_restricted_fetcher_the_same_html_would_request_and_leak(server, canary):
    """The control: WeasyPrint's own fetcher requests the server and embeds the file (the tests above see)."""
    from weasyprint import HTML  # only here, to show the threat; the app renders through reports.pdf

    address, seen = server
    path, secret = canary
    data = HTML(string=HOSTILE.format(address=address, canary=path), base_url=pdf.BASE_URL).write_pdf()
    assert seen != []
    assert contains(data, secret)


def test_a_goal_description_with_remote_images_causes_no_request(db, nora_world, server, canary):
    address, seen = server
    path, secret = canary
    goal = Goal.objects.get(level_kind=Level.BOARD)
    Goal.objects.filter(pk=goal.pk).update(
        description=(
            f'Se bilden: <img src="{address}/x.png"> och ![bild]({address}/md.png) '
            f'<a rel="attachment" href="file://{path}">bilaga</a> '
            f'<link rel="attachment" href="file://{path}"> <svg><image href="{address}/svg.png"/></svg>'
        )
    )
    spec = Spec(Kind.BOARD, nora_world["annual"], Organisation.objects.get(code="BN"))
    rendered = report_pdf(build_report(spec))
    assert seen == []
    assert not contains(rendered.data, secret)
    assert PdfReader(BytesIO(rendered.data)).attachments == {}
