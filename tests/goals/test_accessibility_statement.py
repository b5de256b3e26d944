"""The accessibility statement that the DOS law asks for, linked from every page."""

from django.urls import reverse

from accounts.models import AuditEvent

STATEMENT = reverse("goals:accessibility")


def test_statement_is_public_in_swedish_with_supervision_and_a_way_to_report(client, db):
    html = client.get(STATEMENT).content.decode()
    assert "Tillgänglighetsredogörelse för Noramål" in html
    assert "delvis förenlig" in html and "WCAG 2.1" in html
    assert "digg.se" in html  # the supervisory authority, for complaints
    # No address configured: the statement's own form is the contact.
    assert '<form method="post" action="/tillganglighet/#rapportera"' in html


def test_statement_has_the_headings_of_diggs_model(client, db):
    html = client.get(STATEMENT).content.decode()
    headings = [
        "<h2>Hur tillgänglig är webbplatsen?</h2>",
        "<h2>Vad kan du göra om du inte kan använda delar av webbplatsen?</h2>",
        "Rapportera brister i webbplatsens tillgänglighet</h2>",
        "<h2>Tillsyn</h2>",
        "<h2>Teknisk information om webbplatsens tillgänglighet</h2>",
        "<h3>Innehåll som inte är tillgängligt</h3>",
        # The content that is not accessible, grouped by its legal basis.
        "<h4>Bristande förenlighet med lagkraven</h4>",
        "<h4>Oskäligt betungande anpassning</h4>",
        "<h4>Innehållet omfattas inte av lagstiftningen</h4>",
        "<h2>Hur vi testat webbplatsen</h2>",
        "Redogörelsen uppdaterades senast den",
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_a_visitor_reports_a_problem_without_any_configuration(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    response = client.post(STATEMENT, {"message": "Diagrammet går inte att läsa.", "reply_to": "a@b.example"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accessibility.report")
    assert "Diagrammet går inte att läsa." in event.summary and "a@b.example" in event.summary
    assert "Tack! Din rapport har kommit fram till kommunen." in client.get(STATEMENT).content.decode()


def test_an_empty_report_is_refused_and_nothing_is_kept(client, db):
    html = client.post(STATEMENT, {"message": "  "}).content.decode()
    assert 'aria-invalid="true"' in html and "Detta fält måste fyllas i." in html
    assert not AuditEvent.objects.filter(action="accessibility.report").exists()


def test_statement_gives_the_configured_address_for_reports(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@nora.example"
    html = client.get(STATEMENT).content.decode()
    assert 'href="mailto:tillganglighet@nora.example"' in html


def test_every_page_links_the_statement_from_its_footer(client, db):
    for url in (reverse("goals:home"), reverse("goals:tree"), reverse("login")):
        footer = client.get(url).content.decode().split('<footer class="site-footer">', 1)[1]
        assert f'href="{STATEMENT}"' in footer and "Tillgänglighetsredogörelse" in footer
