def test_pages_are_swedish_even_for_an_english_browser(client, small_chain):
    page = client.get("/mal/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Målkedjan" in page
    assert "Goal chain" not in page


def test_management_commands_speak_swedish(small_chain, tmp_path):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("check_goal_tree", stdout=out)
    assert out.getvalue().strip() == "Målträdet är helt."
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert out.getvalue().startswith("Raderade 0 utgångna sessioner, 0 inloggningsposter")
    with pytest.raises(CommandError, match="Det finns ingen användare som heter nobody."):
        call_command("pseudonymise_user", "nobody", "--yes")
    with pytest.raises(
        CommandError,
        match="--out måste sluta på .pdf, .html, .xlsx eller .docx, om inte --format anger formatet.",
    ):
        call_command("render_report", "--kind", "annual", "--year", "2026", "--out", str(tmp_path / "x.doc"))
