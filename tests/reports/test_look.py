"""The reports' look: the emblem and colour a controller sets on /rapporter/utseende/, on the PDF's cover;
the overview's symbols, stacked bar and the year before's count; the charts' value labels."""

from io import BytesIO

import pdfplumber
import pytest
from django.urls import reverse
from PIL import Image

from accounts.models import AuditEvent
from followup.models import Assessment
from goals.models import Goal
from reports.data import Spec, build_report
from reports.models import Kind, ReportLook
from reports.output import report_html, report_pdf
from tests.levels import Level

pytestmark = pytest.mark.django_db

SHIELD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 48" width="40" height="48">'
    b'<path d="M2 2h36v24c0 12-18 20-18 20S2 38 2 26z" fill="#1d4f91"/></svg>'
)
SCRIPTS = "SVG-filen får inte innehålla skript, händelseattribut eller hänvisningar till andra filer."


def png(width=60, height=80, colour=(29, 79, 145)):
    out = BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def save_look(client, user, **data):
    client.force_login(user)
    return client.post(reverse("reports:look"), {"colour": "#7a1f3d", **data})


BAD = [
    ("script.svg", SHIELD.replace(b"</svg>", b"<script>alert(1)</script></svg>"), SCRIPTS),
    ("onload.svg", SHIELD.replace(b"<path", b'<path onload="alert(1)"'), SCRIPTS),
    (
        "remote.svg",
        SHIELD.replace(b"</svg>", b'<image href="https://example.org/x.png" width="5" height="5"/></svg>'),
        SCRIPTS,
    ),
    (
        "import.svg",
        SHIELD.replace(b"</svg>", b"<style>@import url(http://example.org/a.css);</style></svg>"),
        SCRIPTS,
    ),
    (
        "foreign.svg",
        SHIELD.replace(
            b"</svg>", b"<foreignObject><p xmlns='http://www.w3.org/1999/xhtml'>x</p></foreignObject></svg>"
        ),
        SCRIPTS,
    ),
    (
        "entity.svg",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SHIELD,
        "SVG-filen får inte innehålla DOCTYPE eller entiteter.",
    ),
    ("broken.svg", SHIELD[:-6], "SVG-filen är inte välformad XML."),
    ("notes.txt", b"hello", "Emblemet måste vara en PNG- eller SVG-bild."),
    ("cut.png", png()[:40], "PNG-filen är skadad eller ingen PNG-bild."),
    ("wide.png", png(4001, 2), "Emblemet får vara högst 4000 × 4000 bildpunkter."),
    (
        "big.svg",
        SHIELD.replace(b"</svg>", b"<!--" + b"x" * (1024 * 1024) + b"--></svg>"),
        "Emblemet får vara högst 1 MB.",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[row[0] for row in BAD])
def test_a_bad_emblem_is_refused_in_swedish_and_nothing_is_stored(client, people, name, content, message):
    response = save_look(client, people.controller, emblem=upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportLook.objects.exists()
    assert not AuditEvent.objects.filter(action="report.look").exists()


def test_a_bad_colour_is_refused(client, people):
    response = save_look(client, people.controller, colour="red")
    assert "Ange färgen som #rrggbb" in response.content.decode()
    assert not ReportLook.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"), [("vapen.svg", SHIELD, "image/svg+xml"), ("logo.png", png(), "image/png")]
)
def test_a_controller_sets_the_emblem_and_colour(client, people, name, content, kind):
    response = save_look(client, people.controller, emblem=upload(name, content), colour="#7A1F3D")
    assert response.status_code == 302
    look = ReportLook.objects.get()
    assert (bytes(look.emblem), look.emblem_type, look.colour) == (content, kind, "#7a1f3d")
    assert AuditEvent.objects.filter(action="report.look", user=people.controller).exists()
    page = client.get(reverse("reports:look")).content.decode()
    assert f'src="data:{kind};base64,' in page
    # Saving again without a file keeps the emblem; ticking "remove" takes it away.
    save_look(client, people.controller, colour="#123456")
    assert ReportLook.objects.get().emblem_type == kind
    save_look(client, people.controller, colour="#123456", remove_emblem="on")
    assert ReportLook.objects.get().emblem is None


def _colour(hex_colour):
    return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 2) for i in (1, 3, 5))


def test_the_emblem_and_colour_stand_on_the_cover_of_the_pdf(nora_world):
    ReportLook.objects.create(colour="#7a1f3d", emblem=png(), emblem_type="image/png")
    report = build_report(Spec(Kind.ANNUAL, nora_world["annual"]))
    with pdfplumber.open(BytesIO(report_pdf(report).data)) as document:
        cover, later = document.pages[0], document.pages[1]
        assert len(cover.images) == 1 and not later.images
        fills = {tuple(round(c, 2) for c in r["non_stroking_color"] or ()) for r in cover.rects}
        assert _colour("#7a1f3d") in fills
    # The browser preview carries the same emblem inline.
    assert 'class="cover__emblem" src="data:image/png;base64,' in report_html(report, preview=True)


def test_the_overview_counts_the_year_before_beside_this_year(nora_world):
    earlier = nora_world["periods"][2025]
    for goal in list(Goal.objects.of_level(Level.COUNCIL).in_tree_order())[:5]:
        Assessment.objects.create(
            goal=goal, period=earlier, judgement=Assessment.Judgement.MET, state=Assessment.State.APPROVED
        )
    report = build_report(Spec(Kind.ANNUAL, nora_world["annual"]))
    assert report.previous_headline == "2025: 5 av 11"
    assert report.previous_totals == {"met": 5, "partly_met": 0, "not_met": 0, "not_assessed": 6}
    with pdfplumber.open(BytesIO(report_pdf(report).data)) as document:
        text = " ".join((page.extract_text() or "") for page in document.pages)
        overview = next(page for page in document.pages if "Översikt" in (page.extract_text() or "")[:200])
        words = overview.extract_words(extra_attrs=["size"])
    assert "8 av 11 KF-mål uppfyllda." in text and "Året före: 2025: 5 av 11." in text
    assert "Uppfyllt: 8 (5 året före)" in text and "Ej bedömt: 0 (6 året före)" in text
    # Each goal's history: the first five KF goals were met in 2025.
    assert "Tidigare år: 2023 ej bedömt · 2024 ej bedömt · 2025 uppfyllt." in " ".join(text.split())
    # The stacked bar carries its numbers: 8, 2 and 1, in white on the bar.
    bar = [w["text"] for w in words if w["size"] > 7.5 and w["text"] in {"8", "2", "1"}]
    assert {"8", "2", "1"} <= set(bar)


def test_the_charts_carry_their_first_and_latest_values(nora_world):
    report = build_report(Spec(Kind.ANNUAL, nora_world["annual"]))
    with pdfplumber.open(BytesIO(report_pdf(report).data)) as document:
        small = {
            w["text"]
            for page in document.pages
            for w in page.extract_words(x_tolerance=1, extra_attrs=["size"])
            if w["size"] < 6
        }
    # Trygghet 81,5 (2023) to 84,5 (2026); the population 10 400 to 10 511 (Swedish format).
    assert {"81,5", "84,5"} <= small
    assert {"10", "400", "511"} <= small and "10511" not in small
