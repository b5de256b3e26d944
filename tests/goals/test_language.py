def test_pages_are_swedish_even_for_an_english_browser(client, small_chain):
    page = client.get("/mal/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Målkedjan" in page
    assert "Goal chain" not in page
