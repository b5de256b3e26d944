"""The Word document's section on god ekonomisk hushållning: the same order and words as
templates/reports/includes/economy.html (`reports.economy` holds the words both use)."""

from goals.markdown import render_markdown


def write_economy(writer, report):
    """Write `report.economy` with the document writer of `reports.docx` (its headings, paragraphs and a
    goal's body as everywhere else in the report)."""
    economy = report.economy
    words = economy.words
    writer.heading(economy.heading, 1)
    writer.paragraph(economy.lead)
    writer.heading(words["financial_heading"], 2)
    for council in economy.goals:
        goal = council.goal
        writer.heading(f"{goal.number}. {goal.title}", 3)
        writer.goal_body(goal)
        for group in council.boards:
            writer.heading(group.name, 4)
            for board_goal in group.goals:
                for shown in (board_goal, *board_goal.children):
                    writer.heading(f"{shown.number} {shown.title}", 5)
                    writer.goal_body(shown)
    if not economy.goals:
        writer.paragraph(words["no_financial_goals"], italic=True)
    if not economy.follow_up:
        return
    writer.heading(words["outcome_heading"], 2)
    writer.paragraph(f"{economy.about_outcome} {report.headline}.")
    for _code, label, number, _before in report.judgement_parts:
        writer.paragraph(f"{label}: {number}", style="List Bullet")
    writer.heading(words["summary_heading"], 2)
    if economy.summary is not None:
        writer.prose(render_markdown(economy.summary.text))
    elif report.status != "fastställd":
        writer.paragraph(words["missing_summary"], italic=True)
