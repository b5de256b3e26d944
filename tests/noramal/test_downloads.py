"""File names are Swedish words as ASCII slugs, built in one place."""

import pytest

from followup.models import ReportingPeriod
from noramal.downloads import download_name
from reports.models import Kind, report_file_name


def test_swedish_words_become_an_ascii_name():
    assert download_name("Årsredovisning", 2025, "måluppfyllelse", "v1", extension="pdf") == (
        "arsredovisning-2025-maluppfyllelse-v1.pdf"
    )
    assert download_name("Sammanställning av mål – Öst", "", None, extension="csv") == (
        "sammanstallning-av-mal-ost.csv"
    )


@pytest.mark.django_db
def test_reports_are_named_after_their_period_and_kind():
    annual = ReportingPeriod.objects.create(year=2025, kind=ReportingPeriod.Kind.ANNUAL)
    august = ReportingPeriod.objects.create(year=2025, kind=ReportingPeriod.Kind.INTERIM_AUGUST)
    assert (
        report_file_name(Kind.ANNUAL, annual, None, "pdf", "v1")
        == "arsredovisning-2025-maluppfyllelse-v1.pdf"
    )
    assert report_file_name(Kind.INTERIM, august, None, "pdf", "utkast") == (
        "delarsrapport-per-31-augusti-2025-maluppfyllelse-utkast.pdf"
    )
    assert report_file_name(Kind.COMPILATION, annual, None, "xlsx") == "sammanstallning-av-mal-2025.xlsx"
