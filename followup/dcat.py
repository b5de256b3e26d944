"""The open data described for Sveriges dataportal (dataportal.se): a DCAT-AP-SE catalogue in JSON-LD.

One dataset, the goal chain with the values of closed periods, in three distributions (JSON, CSV, CSV for
Swedish Excel). The publisher is the installation's municipality; the licence is the installation's open-data
licence (`NORAMAL_OPENDATA_LICENSE`, Creative Commons CC0 1.0 unless set). Values fetched from Kolada keep
their credit ("Källa: Kolada") in the files themselves.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
# The EU's file-type vocabulary, which DCAT-AP-SE asks for in dct:format.
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
DISTRIBUTIONS = (
    ("followup:opendata_json", "JSON", "application/json", "JSON"),
    ("followup:opendata_csv", "CSV", "text/csv", "CSV"),
    ("followup:opendata_csv_excel", "CSV", "text/csv", "CSV for Excel (semicolons, decimal comma)"),
)


def _sv(text):
    return {"@value": str(text), "@language": "sv"}


def catalogue(build_uri):
    """The catalogue as a JSON-LD document; `build_uri` turns a path into an absolute address."""
    municipality = settings.MUNICIPALITY_NAME
    licence = {"@id": settings.OPENDATA_LICENSE}
    publisher = {"@id": build_uri("/"), "@type": "foaf:Agent", "foaf:name": _sv(municipality)}
    distributions = []
    for name, file_type, media_type, title in DISTRIBUTIONS:
        address = build_uri(reverse(name))
        distributions.append(
            {
                "@id": address,
                "@type": "dcat:Distribution",
                "dct:title": _sv(_(title)),
                "dcat:accessURL": {"@id": address},
                "dcat:downloadURL": {"@id": address},
                "dcat:mediaType": media_type,
                "dct:format": {"@id": FILE_TYPE + file_type},
                "dct:license": licence,
            }
        )
    dataset = {
        "@id": build_uri(reverse("followup:files")) + "#malkedja",
        "@type": "dcat:Dataset",
        "dct:title": _sv(_("%(municipality)s: goals and their follow-up") % {"municipality": municipality}),
        "dct:description": _sv(
            _(
                "The municipality's goal chain (vision, goals of the council and the boards, indicators and "
                "their targets) with the values of closed follow-up periods."
            )
        ),
        "dct:publisher": publisher,
        "dcat:keyword": [_sv(_("goals")), _sv(_("follow-up")), _sv(_("indicators"))],
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
        "dcat:landingPage": {"@id": build_uri(reverse("followup:files"))},
        "dct:accessRights": {"@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"},
        "dcat:distribution": distributions,
    }
    if settings.ACCESSIBILITY_CONTACT_EMAIL:
        dataset["dcat:contactPoint"] = {
            "@type": "vcard:Organization",
            "vcard:fn": municipality,
            "vcard:hasEmail": {"@id": "mailto:" + settings.ACCESSIBILITY_CONTACT_EMAIL},
        }
    return {
        "@context": CONTEXT,
        "@id": build_uri(reverse("followup:opendata_dcat")),
        "@type": "dcat:Catalog",
        "dct:title": _sv(
            _("Open data from %(municipality)s's goal follow-up") % {"municipality": municipality}
        ),
        "dct:description": _sv(_("Datasets published by Noramål, the municipality's goal follow-up.")),
        "dct:publisher": publisher,
        "dct:license": licence,
        "dcat:dataset": [dataset],
    }
