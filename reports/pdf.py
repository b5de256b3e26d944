"""HTML to tagged PDF with WeasyPrint; the only module that imports it.

Rendering fetches nothing but the app's own static files. WeasyPrint's default fetcher would request any
URL in the HTML (an <img>, a stylesheet, an @import, a url() in a style attribute) and embed any local file
named as an attachment (`<a rel="attachment" href="file:///etc/passwd">`); `StaticOnlyFetcher` refuses
everything except `/static/…` names that Django's static file finders resolve, and refuses them without
any network or file access of its own.
"""

import logging
import mimetypes
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.logger import PROGRESS_LOGGER
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import xmp

# The origin that relative URLs in a report resolve against. ".invalid" never resolves (RFC 2606), and the
# fetcher below answers for it from the static files without any request.
BASE_URL = "https://report.noramal.invalid/"
# What a report may use from the static files: its stylesheet, fonts and images.
ALLOWED_SUFFIXES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".svg"}
# PDF/A-2u for the e-archive (sRGB output intent, fonts embedded, XMP identification), tagged as PDF/UA-1
# asks (structure tree, the document's language and title): WeasyPrint writes one variant, so the tags are
# asked for and `xmp.declare_ua` adds the PDF/UA-1 declaration to the XMP.
PDF_VARIANT = "pdf/a-2u"
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}


class RefusedURL(ValueError):
    """A report named something other than one of the app's static files."""


def static_prefix():
    """The path static files are served under, e.g. "/static/"."""
    return urlsplit(urljoin("/", settings.STATIC_URL)).path


def stylesheet_url(name="css/report.css"):
    """The unhashed static path of a report stylesheet, as the fetcher resolves it."""
    return static_prefix() + name


def static_file(url):
    """The file that the app's own static `url` names, or None for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    own = f"{urlsplit(BASE_URL).scheme}://{urlsplit(BASE_URL).netloc}"
    if f"{parts.scheme}://{parts.netloc}" != own or parts.query or parts.username or parts.password:
        return None
    path = unquote(parts.path)
    prefix = static_prefix()
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    pure = PurePosixPath(name)
    if not name or "\\" in name or "\x00" in name or ".." in pure.parts or pure.is_absolute():
        return None
    if pure.suffix.lower() not in ALLOWED_SUFFIXES:
        return None
    found = finders.find(name)
    return found if isinstance(found, str) else None


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the app's static files and refuses every other URL."""

    def __init__(self, files=None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.refused = []
        # Files the report brings in memory (the emblem), by their path under BASE_URL.
        self.files = {urljoin(BASE_URL, name): item for name, item in (files or {}).items()}

    def fetch(self, url, headers=None):
        if url in self.files:
            body, content_type = self.files[url]
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        path = static_file(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"A report may only use the app's own static files, not {url[:200]!r}.")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedPDF:
    """A rendered PDF and its number of pages."""

    data: bytes
    pages: int


def render_pdf(html, *, on_progress=None, files=None):
    """Lay out `html` (a whole document) and return it as a tagged, archival (PDF/A-2u) A4 PDF.

    `files` maps a path (e.g. "/look/emblem") to (bytes, content type): images the report brings itself,
    served from memory by the fetcher like the static files.

    `on_progress(step, pages)` is called with step "layout" as pages are laid out and "pdf" when the file
    is being written.
    """
    fetcher = StaticOnlyFetcher(files)
    with _progress(on_progress):
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(**PDF_OPTIONS)
        if on_progress:
            on_progress("pdf", len(document.pages))
        data = document.write_pdf(finisher=xmp.declare_ua, **PDF_OPTIONS)
    return RenderedPDF(data, len(document.pages))


# --- Progress: WeasyPrint logs each page it lays out -----------------------------------------------

_progress_lock = threading.Lock()
_progress_users = 0


class _PageCounter(logging.Handler):
    """Passes WeasyPrint's "Creating layout - Page N" records of one thread on as progress calls."""

    def __init__(self, callback):
        super().__init__(logging.INFO)
        self.callback = callback
        self.thread = threading.get_ident()

    def emit(self, record):
        if record.thread != self.thread or "Page" not in record.msg or not record.args:
            return
        try:
            self.callback("layout", int(record.args[0]))
        except Exception:  # progress is a courtesy: it must never break a report
            logging.getLogger(__name__).exception("Report progress callback failed")


@contextmanager
def _progress(callback):
    """While rendering, let WeasyPrint's progress records through to `callback` and nowhere else."""
    global _progress_users
    if callback is None:
        yield
        return
    handler = _PageCounter(callback)
    with _progress_lock:
        _progress_users += 1
        if _progress_users == 1:
            PROGRESS_LOGGER.setLevel(logging.INFO)
            PROGRESS_LOGGER.propagate = False  # keep page-by-page records out of the console log
        PROGRESS_LOGGER.addHandler(handler)
    try:
        yield
    finally:
        with _progress_lock:
            PROGRESS_LOGGER.removeHandler(handler)
            _progress_users -= 1
            if _progress_users == 0:
                PROGRESS_LOGGER.setLevel(logging.NOTSET)
                PROGRESS_LOGGER.propagate = True
