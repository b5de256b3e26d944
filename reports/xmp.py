"""The XMP metadata of an archival PDF: PDF/A-2 declares itself, and this adds the PDF/UA-1 declaration.

WeasyPrint writes one PDF variant's identification (`pdfaid:part`/`pdfaid:conformance` for PDF/A) into the
XMP packet. A report is PDF/A-2u *and* tagged PDF/UA-1, so `declare_ua` (a `write_pdf` finisher) adds
`pdfuaid:part="1"` to the same description. PDF/A admits XMP properties outside its predefined schemas
only when the packet describes them in an extension schema (ISO 19005-2, 6.6.2.3), so the pdfuaid schema
is described too. Nothing here depends on the time or on chance: the same report gives the same bytes.
"""

import re
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)

UA_PART = "1"
_RDF = re.compile(rb"<rdf:RDF\b.*</rdf:RDF>", re.DOTALL)


def _q(prefix, name):
    return f"{{{NS[prefix]}}}{name}"


def with_ua(packet):
    """The XMP `packet` (bytes, as WeasyPrint wrote it for PDF/A) with the PDF/UA-1 declaration and its
    extension schema added; unchanged when it declares PDF/UA already or carries no PDF/A identification."""
    match = _RDF.search(packet)
    if match is None:
        return packet
    rdf = fromstring(match.group(0))
    descriptions = rdf.findall(_q("rdf", "Description"))
    identification = next((d for d in descriptions if _q("pdfaid", "part") in d.attrib), None)
    if identification is None or any(_q("pdfuaid", "part") in d.attrib for d in descriptions):
        return packet
    identification.set(_q("pdfuaid", "part"), UA_PART)
    rdf.insert(list(rdf).index(identification) + 1, _ua_extension_schema())
    return (
        packet[: match.start()]
        + tostring(rdf, encoding="utf-8", xml_declaration=False)
        + packet[match.end() :]
    )


def _ua_extension_schema():
    """The PDF/A extension schema that describes `pdfuaid:part`."""
    description = Element(_q("rdf", "Description"), {_q("rdf", "about"): ""})
    bag = SubElement(SubElement(description, _q("pdfaExtension", "schemas")), _q("rdf", "Bag"))
    schema = SubElement(bag, _q("rdf", "li"), {_q("rdf", "parseType"): "Resource"})
    for name, text in (
        ("schema", "PDF/UA Universal Accessibility Schema"),
        ("namespaceURI", NS["pdfuaid"]),
        ("prefix", "pdfuaid"),
    ):
        SubElement(schema, _q("pdfaSchema", name)).text = text
    sequence = SubElement(SubElement(schema, _q("pdfaSchema", "property")), _q("rdf", "Seq"))
    prop = SubElement(sequence, _q("rdf", "li"), {_q("rdf", "parseType"): "Resource"})
    for name, text in (
        ("name", "part"),
        ("valueType", "Integer"),
        ("category", "internal"),
        ("description", "Indicates, which part of ISO 14289 standard is followed"),
    ):
        SubElement(prop, _q("pdfaProperty", name)).text = text
    return description


def declare_ua(document, pdf):
    """A WeasyPrint `write_pdf` finisher: add the PDF/UA-1 declaration to the catalog's XMP stream."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    if isinstance(reference, bytes):
        reference = reference.decode("ascii")
    stream = pdf.objects[int(reference.split()[0])]
    packet = b"".join(part if isinstance(part, bytes) else str(part).encode() for part in stream.stream)
    stream.stream = [with_ua(packet)]
