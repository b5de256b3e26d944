"""The accessibility statement that the DOS law asks for, linked from every page."""

from django.urls import reverse

STATEMENT = reverse("goals:accessibility")


def test_statement_is_public_in_swedish_with_supervision_and_a_way_to_report(client, db):
    html = client.get(STATEMENT).content.decode()
    assert "Tillgänglighetsredogörelse för Noramål" in html
    assert "delvis förenlig" in html and "WCAG 2.1" in html
    assert "digg.se" in html  # the supervisory authority, for complaints
    assert "kommunens kontaktuppgifter" in html  # no address configured: the municipality's own


def test_statement_gives_the_configured_address_for_reports(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@nora.example"
    html = client.get(STATEMENT).content.decode()
    assert 'href="mailto:tillganglighet@nora.example"' in html


def test_every_page_links_the_statement_from_its_footer(client, db):
    for url in (reverse("goals:home"), reverse("goals:tree"), reverse("login")):
        footer = client.get(url).content.decode().split('<footer class="site-footer">', 1)[1]
        assert f'href="{STATEMENT}"' in footer and "Tillgänglighetsredogörelse" in footer
