"""The whole chain as the people who use it walk it, in one story (each step needs the one before).

The controller opens the annual period; BN's editor adds a board goal under a KF goal with an indicator,
a target and an activity, enters the indicator's value and submits a judgement; the controller approves it,
closes the period, makes the annual report and publishes it; an anonymous visitor finds the published
report on the public page (the menu's "Rapporter"). Every page on the way is checked with axe-core
(see browser.py).
"""

import hashlib
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import YEAR
from tests.e2e.test_reader_keyboard import assert_error_tied_to_field

GOAL = "Alla elever ska läsa minst 20 minuter varje skoldag"
INDICATOR = "Andel elever som läser dagligen"
ACTIVITY = "Läsfrämjande kampanj i alla klasser"
ANALYSIS = "Läsningen ökade under året men nådde inte målvärdet; kampanjen fortsätter i årskurs 4–6."


def test_goal_chain_from_board_goal_to_published_annual_report(people):
    controller = people("controller")
    period_url = controller_opens_the_annual_period(controller)

    editor = people("redaktor-bn")
    goal_url = editor_adds_goal_indicator_and_activity(editor)
    editor_enters_value_and_judgement(editor, period_url)

    controller_approves_and_closes(controller, period_url)
    published_title = controller_makes_and_publishes_the_annual_report(controller)

    visitor_finds_the_published_report(people(), published_title)
    # The new goal is on the public tree (served from the tree cache, which the goal's creation renewed).
    visitor = people()
    visitor.goto("/mal/")
    expect(visitor.page.get_by_role("link", name=GOAL)).to_have_attribute("href", re.compile(goal_url + "$"))


def controller_opens_the_annual_period(controller):
    """The demo made the year's periods from the reporting calendar; the annual one is open and empty."""
    page = controller.page
    controller.click(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning"))
    controller.click(page.get_by_role("link", name=f"Årsredovisning {YEAR}", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(YEAR))
    return urlsplit(page.url).path


def editor_adds_goal_indicator_and_activity(editor):
    page = editor.page
    # From "My page": a new board goal under the KF goal about every child's learning.
    editor.click(page.get_by_role("link", name=re.compile("Nämndmål under .*kunskapsutveckling")))

    # Saving an empty form: the error is written next to the field and tied to it.
    editor.click(page.get_by_role("button", name="Spara"))
    assert_error_tied_to_field(page, "id_title")

    page.get_by_label("Rubrik").fill(GOAL)
    page.get_by_label("Beslut").fill(f"BN § 12 {YEAR}-03-18")
    page.get_by_label("Gäller från (år)").fill(str(YEAR))
    page.get_by_label("Gäller till (år)").fill(str(YEAR + 1))
    editor.click(page.get_by_role("button", name="Spara"))
    expect(page.get_by_role("heading", level=1)).to_have_text(GOAL)
    assert "Målet har lagts till." in editor.message()
    goal_url = urlsplit(page.url).path

    editor.click(page.get_by_role("link", name="Lägg till indikator"))
    page.get_by_label("Namn").fill(INDICATOR)
    page.get_by_label("Enhet").fill("%")
    page.get_by_label("Riktning").select_option("higher")
    page.get_by_label("Decimaler").fill("0")
    page.get_by_label("Från år (rad 1)").fill(str(YEAR))
    page.get_by_label("Målvärde (rad 1)").fill("80")
    page.get_by_label("Tolerans (rad 1)").fill("5")
    editor.click(page.get_by_role("button", name="Spara"))
    assert "Indikatorn har lagts till." in editor.message()
    expect(page.locator("main")).to_contain_text(INDICATOR)

    editor.click(page.get_by_role("link", name="Lägg till aktivitet"))
    page.get_by_label("Rubrik").fill(ACTIVITY)
    page.get_by_label("Ansvarig person").fill("Anna Lindqvist")
    editor.click(page.get_by_role("button", name="Spara"))
    assert "Aktiviteten har lagts till." in editor.message()
    expect(page.locator("main")).to_contain_text(ACTIVITY)
    return goal_url


def editor_enters_value_and_judgement(editor, period_url):
    page = editor.page
    editor.click(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning"))
    editor.click(page.locator(f'a[href$="{period_url}"]'))
    bn = page.get_by_role("listitem").filter(has_text="Bildningsnämnden (BN)")
    editor.click(bn.get_by_role("link", name="Indikatorvärden"))

    row = page.get_by_role("group", name=re.compile(INDICATOR))
    row.get_by_label("Totalt").fill("76")
    row.get_by_label("Kommentar").fill("Enkät i alla klasser i maj.")
    editor.click(page.get_by_role("button", name="Spara alla värden"))
    assert "1 rad har sparats." in editor.message()
    expect(page.get_by_role("group", name=re.compile(INDICATOR)).get_by_label("Totalt")).to_have_value("76")

    editor.goto(period_url)
    bn = page.get_by_role("listitem").filter(has_text="Bildningsnämnden (BN)")
    editor.click(bn.get_by_role("link", name="Bedömningar"))
    editor.click(page.get_by_role("link", name=GOAL))

    # "Partly met" needs an analysis: submitting without one says so beside the field.
    page.get_by_label("Delvis uppfyllt").check()
    editor.click(page.get_by_role("button", name="Spara och skicka in för godkännande"))
    assert_error_tied_to_field(page, "id_analysis")
    page.get_by_label("Delvis uppfyllt").check()
    page.get_by_label("Analys").fill(ANALYSIS)
    editor.click(page.get_by_role("button", name="Spara och skicka in för godkännande"))
    assert "Bedömningen har skickats in." in editor.message()


def controller_approves_and_closes(controller, period_url):
    page = controller.page
    controller.goto(period_url)
    controller.click(page.get_by_role("link", name="Översikt över alla organisationer"))
    controller.click(page.get_by_role("link", name="Bildningsnämnden"))
    controller.click(page.get_by_role("link", name=GOAL))
    expect(page.locator("main")).to_contain_text(ANALYSIS)
    controller.click(page.get_by_role("button", name="Godkänn"))
    assert "Bedömningen har godkänts." in controller.message()

    controller.goto(period_url)
    controller.click(page.get_by_role("link", name="Stäng perioden …"))
    expect(page.get_by_role("heading", name="Vad som återstår")).to_be_visible()
    page.get_by_label("Jag har sett vad som återstår och stänger perioden").check()
    controller.click(page.get_by_role("button", name="Stäng perioden"))
    assert f"Årsredovisning {YEAR} har stängts." in controller.message()


def controller_makes_and_publishes_the_annual_report(controller):
    page = controller.page
    menu = page.get_by_role("navigation", name="Huvudmeny")
    controller.click(menu.locator('a[href="/rapporter/perioder/"]'))
    controller.click(page.get_by_role("link", name=f"Årsredovisning {YEAR}"))
    annual = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("^Års")))
    controller.click(annual.get_by_role("button", name=re.compile("^Skapa PDF")))
    expect(page.get_by_role("link", name=re.compile("^Hämta PDF"))).to_be_visible()

    controller.click(page.get_by_role("link", name=str(page.locator(".breadcrumb a").nth(1).inner_text())))
    annual = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("^Års")))
    controller.click(annual.get_by_role("link", name=re.compile("^Fastställ")))
    page.get_by_label("Fullmäktiges beslut").fill(f"KF § 23 {YEAR + 1}-04-26")
    controller.click(page.get_by_role("button", name=re.compile("^Fastställ som version")))
    expect(page.get_by_role("link", name="Hämta den fastställda PDF:en")).to_be_visible()
    controller.click(page.get_by_role("main").get_by_role("link", name="Fastställda rapporter"))
    return page.get_by_role("rowheader").first.inner_text()


def visitor_finds_the_published_report(visitor, title):
    page = visitor.page
    visitor.goto("/")
    visitor.click(page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter"))
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=title))
    link = row.get_by_role("link", name=re.compile("^PDF"))
    checksum = row.locator("code").inner_text().strip()
    response = page.request.get(visitor.url(link.get_attribute("href")))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == checksum
