"""The PDF as the e-archive takes it: PDF/A-2u declared in its XMP, tagged PDF/UA-1 in Swedish, an sRGB
output intent, every font embedded, and the same bytes from the same report."""

import datetime
import re

import pytest

from reports.data import Spec, build_report
from reports.models import Kind
from reports.output import report_pdf
from reports.xmp import with_ua

pytestmark = pytest.mark.django_db


def xmp_text(reader):
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_xmp_declares_pdf_a_2u_and_pdf_ua_1_with_its_extension_schema(annual_pdf):
    xmp = xmp_text(annual_pdf.reader)
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert 'pdfuaid:part="1"' in xmp
    # PDF/A admits the pdfuaid property only with an extension schema that describes it.
    assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in xmp
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    assert "Årsredovisning 2026 – måluppfyllelse – Nora kommun" in xmp
    assert annual_pdf.rendered.data.startswith(b"%PDF-1.7")


def test_archival_pdf_stays_tagged_in_swedish_with_an_srgb_output_intent(annual_pdf):
    root = annual_pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert root["/Lang"] == "sv"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
    intents = [intent.get_object() for intent in root["/OutputIntents"]]
    assert len(intents) == 1
    assert intents[0]["/S"] == "/GTS_PDFA1"
    assert "sRGB" in str(intents[0]["/OutputConditionIdentifier"])
    profile = intents[0]["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and len(profile.get_data()) > 1000
    # The file identifier PDF/A asks for: derived from the content, not from chance.
    assert len(annual_pdf.reader.trailer["/ID"]) == 2


def test_every_font_is_embedded(annual_pdf):
    for page in annual_pdf.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font


def test_the_same_report_renders_to_the_same_bytes(nora_world):
    # The archive keeps the checksum of the bytes KF received: a second render must give the very same.
    spec = Spec(Kind.ANNUAL, nora_world["annual"])
    first = report_pdf(build_report(spec, made_on=datetime.date(2027, 3, 1))).data
    second = report_pdf(build_report(spec, made_on=datetime.date(2027, 3, 1))).data
    assert first == second


def test_with_ua_adds_the_declaration_once_and_leaves_other_packets_alone():
    packet = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><rdf:Description rdf:about="" pdfaid:part="2" '
        b'pdfaid:conformance="U" /></rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>'
    )
    once = with_ua(packet)
    assert once.startswith(b"<?xpacket begin=") and once.endswith(b'<?xpacket end="r"?>')
    assert len(re.findall(rb'pdfuaid:part="1"', once)) == 1
    assert with_ua(once) == once
    plain = b"<x:xmpmeta><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/></x:xmpmeta>"
    assert with_ua(plain) == plain
