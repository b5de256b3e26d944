"""A reader who uses the keyboard alone: skip link, menu, the goal tree's expand/collapse, a goal's page."""

from playwright.sync_api import expect

# Far more than any of these pages has before the element sought: a walk that needs more is a bug.
MAX_TABS = 80


def tab_to(visitor, wanted, description):
    """Press Tab until `wanted(focused)` holds; return what has the focus then."""
    for _ in range(MAX_TABS):
        visitor.page.keyboard.press("Tab")
        focused = visitor.focused()
        if wanted(focused):
            return focused
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {description}")


def assert_focus_visible(focused):
    # WCAG 2.4.7: the app draws a 3 px outline on whatever has the keyboard focus.
    assert focused["outline"] >= 2, f"no visible focus outline on {focused}"


def test_reader_browses_the_goal_tree_by_keyboard(people):
    reader = people()
    reader.goto("/")

    skip = tab_to(reader, lambda f: f["tag"] == "a", "the first link")
    assert skip["text"] == "Hoppa till innehållet" and skip["href"] == "#content"
    assert_focus_visible(skip)

    menu_link = tab_to(reader, lambda f: f["text"] == "Målkedjan", "the menu's link to the goal chain")
    assert_focus_visible(menu_link)
    reader.press("Enter")
    assert reader.page.url.endswith("/mal/")
    expect(reader.page.get_by_role("heading", level=1)).to_have_text("Målkedjan")

    # The first expand/collapse control: a native <summary>, exposed as expanded.
    summary = tab_to(reader, lambda f: f["tag"] == "summary", "a sub-goal toggle")
    assert_focus_visible(summary)
    assert summary["expanded"] is True, summary
    # The focused summary's <details>, by position: it must stay found once the focus moves on.
    index = reader.page.evaluate(
        "[...document.querySelectorAll('details')].indexOf(document.activeElement.parentElement)"
    )
    details = reader.page.locator("details").nth(index)
    children = details.locator(":scope > ul > li > .goal-node > a").first
    expect(children).to_be_visible()
    first_child = " ".join(children.inner_text().split())

    reader.page.keyboard.press("Enter")
    assert reader.focused()["expanded"] is False
    expect(details).not_to_have_attribute("open", "")
    expect(children).to_be_hidden()

    reader.page.keyboard.press("Space")
    assert reader.focused()["expanded"] is True
    expect(children).to_be_visible()

    # The next Tab goes into the opened list: its first goal, followed with Enter.
    link = tab_to(reader, lambda f: f["tag"] == "a", "the first sub-goal's link")
    title = " ".join(link["text"].split())
    assert title == first_child
    reader.press("Enter")
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(title)


def assert_error_tied_to_field(page, field_id):
    """The field is marked invalid and names its error message with aria-describedby (WCAG 3.3.1, 1.3.1)."""
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = (field.get_attribute("aria-describedby") or "").split()
    messages = [
        page.locator(f"#{ref}").inner_text() for ref in described_by if page.locator(f"#{ref}").count()
    ]
    assert any(text.strip() for text in messages), f"#{field_id} names no error message: {described_by}"
    return " ".join(messages)


def test_reader_logs_in_by_keyboard_and_errors_are_tied_to_the_fields(people):
    reader = people()
    reader.goto("/konto/logga-in/")
    tab_to(reader, lambda f: f["id"] == "id_username", "the username field")
    reader.press("Enter")  # nothing typed yet

    assert "måste fyllas i" in assert_error_tied_to_field(reader.page, "id_username")
    assert_error_tied_to_field(reader.page, "id_password")

    tab_to(reader, lambda f: f["id"] == "id_username", "the username field")
    reader.page.keyboard.type("lasare")
    reader.page.keyboard.press("Tab")
    reader.page.keyboard.type("fel-lösenord")
    reader.press("Enter")
    # A wrong password: said in text, and nobody is logged in.
    expect(reader.page.locator("main")).to_contain_text("korrekt användarnamn och lösenord")
    expect(reader.page.locator(".site-nav__user")).to_have_count(0)

    tab_to(reader, lambda f: f["id"] == "id_password", "the password field")
    reader.page.keyboard.type("noramal-lasare")
    reader.press("Enter")
    expect(reader.page.locator(".site-nav__user")).to_contain_text("Lars Åberg")
