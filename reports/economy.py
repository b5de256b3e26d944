"""The report's section on god ekonomisk hushållning (KL 11 kap.; RKR R15 in the annual report, R17 as a
forecast in the interim report): the council's financial goals judged like any goal, the outcome of the
verksamhetsmål (the overview's own count of the headline level, not counted again here), and the
controller's summary judgement of the period ("Samlad bedömning", `reports.summary`).

`reports.data` hands the financial goals (`Goal.is_financial`) here instead of placing them among the
goals the overview counts; a board report keeps them where they stand, as the council's goals the board
works towards.
"""

from dataclasses import dataclass, field
from datetime import datetime

from .models import Kind

HEADINGS = {
    Kind.ANNUAL: "God ekonomisk hushållning",
    Kind.INTERIM: "Prognos för god ekonomisk hushållning",
    Kind.COMPILATION: "Finansiella mål för god ekonomisk hushållning",
}
LEADS = {
    Kind.ANNUAL: (
        "Kommunfullmäktige har beslutat om finansiella mål och verksamhetsmål som är av betydelse för en god "
        "ekonomisk hushållning (11 kap. kommunallagen). Här utvärderas hur de har uppnåtts under året."
    ),
    Kind.INTERIM: (
        "Kommunfullmäktige har beslutat om finansiella mål och verksamhetsmål som är av betydelse för en god "
        "ekonomisk hushållning (11 kap. kommunallagen). Här bedöms om de kommer att uppnås vid årets slut."
    ),
    Kind.COMPILATION: (
        "De finansiella mål som kommunfullmäktige har beslutat för en god ekonomisk hushållning."
    ),
}
SUMMARY_HEADING = "Samlad bedömning"
OUTCOME_HEADING = "Verksamhetsmål"
FINANCIAL_HEADING = "Finansiella mål"
NO_FINANCIAL_GOALS = "Kommunfullmäktige har inte beslutat några finansiella mål för året."
MISSING_SUMMARY = (
    "Den samlade bedömningen är inte skriven ännu. Controllern skriver den på periodens rapportsida."
)
ABOUT_OUTCOME = {
    Kind.ANNUAL: "Utfallet för verksamhetsmålen, räknat som i översikten:",
    Kind.INTERIM: "Prognosen för verksamhetsmålen, räknad som i översikten:",
}
FINANCIAL_PREFIX = "F"  # financial goals are numbered F1, F2 …, their sub-goals F1.1 …


# The words shared by the HTML/PDF template and the Word document, so that both say the same.
WORDS = {
    "summary_heading": SUMMARY_HEADING,
    "outcome_heading": OUTCOME_HEADING,
    "financial_heading": FINANCIAL_HEADING,
    "no_financial_goals": NO_FINANCIAL_GOALS,
    "missing_summary": MISSING_SUMMARY,
}


@dataclass
class Summary:
    """The summary judgement as the report prints it, with who wrote it and when."""

    text: str
    written_by: str
    written_at: datetime


@dataclass
class EconomySection:
    """What the section shows; the verksamhetsmål's outcome is the report's own headline and counts."""

    kind: str
    goals: list = field(default_factory=list)  # data.CouncilSection of each financial goal
    summary: Summary | None = None
    words = WORDS  # not a field: the fixed wording, for the template

    @property
    def heading(self):
        return HEADINGS[self.kind]

    @property
    def lead(self):
        return LEADS[self.kind]

    @property
    def follow_up(self):
        return self.kind != Kind.COMPILATION

    @property
    def about_outcome(self):
        return ABOUT_OUTCOME.get(self.kind, "")

    @property
    def anchor(self):
        return "god-ekonomisk-hushallning"

    def all_goals(self):
        for council in self.goals:
            yield council.goal
            for group in council.boards:
                for goal in group.goals:
                    yield goal
                    yield from goal.children


def economy_section(kind, period, goals):
    """The section of a report of `kind` on `period`, with the financial goals' sections (`goals`); None
    where the kind has none (a board report; a compilation without financial goals). `period` carries its
    summary judgement as `summary.with_summary` reads it (no query here)."""
    if kind == Kind.BOARD or (kind == Kind.COMPILATION and not goals):
        return None
    section = EconomySection(kind, goals)
    if section.follow_up and getattr(period, "summary_text", None):
        section.summary = Summary(period.summary_text, period.summary_by or "", period.summary_at)
    return section
