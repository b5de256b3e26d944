"""The permission matrix's rows for reading judgements: the public reads a closed period's approved
judgements, and nothing else of the follow-up; everyone with a role reads every judgement.

Its own goals and judgements (`extend`) sit beside the follow-up world's, so no other row sees them.
"""

from followup.models import Assessment
from tests import factories
from tests.matrix import Row, expect

# Everyone, logged in or not.
PUBLIC = expect(anonymous=200)
# A page that only shows: a POST is 405 for everyone.
PUBLIC_NOT_ALLOWED = expect(anonymous=405, rest=405)
# Everyone with a role; anonymous visitors are sent to log in (a user without one gets 403).
WITH_A_ROLE = expect()


def extend(world):
    """A BN goal judged and approved in the closed period, one only submitted there, one approved in the
    open period, and a draft in the closed period."""

    def judged(title, period, state, analysis):
        goal = factories.goal(world.kf_goal, title, owner=world.bn)
        Assessment.objects.create(
            goal=goal, period=period, judgement=Assessment.Judgement.MET, analysis=analysis, state=state
        )
        return goal

    world.public_goal = judged(
        "Fler läsande barn", world.closed_period, Assessment.State.APPROVED, "Läsningen ökade."
    )
    world.closed_submitted_goal = judged(
        "Fler simkunniga", world.closed_period, Assessment.State.SUBMITTED, "Ej godkänd ännu."
    )
    world.closed_draft_goal = judged(
        "Fler i kulturskolan", world.closed_period, Assessment.State.DRAFT, "Utkast."
    )
    world.open_approved_goal = judged(
        "Fler på fritidsgården", world.period, Assessment.State.APPROVED, "Godkänd, perioden öppen."
    )


def _judgement(period, goal):
    return lambda w: [getattr(w, period).pk, getattr(w, goal).pk]


ROWS = [
    Row("followup:assessment", args=_judgement("closed_period", "public_goal"), expect=PUBLIC),
    Row("followup:assessment", args=_judgement("closed_period", "closed_submitted_goal"), expect=WITH_A_ROLE),
    Row("followup:assessment", args=_judgement("closed_period", "closed_draft_goal"), expect=WITH_A_ROLE),
    Row("followup:assessment", args=_judgement("period", "open_approved_goal"), expect=WITH_A_ROLE),
    Row("followup:assessments", args=lambda w: [w.closed_period.pk, w.bn.pk], expect=WITH_A_ROLE),
    Row("followup:assessments", args=lambda w: [w.period.pk, w.council.pk], expect=WITH_A_ROLE),
    Row("followup:overview", args=lambda w: [w.closed_period.pk], expect=WITH_A_ROLE),
    # The scorecard is everyone's: the council's, a board's (by code or pk), filtered by a category.
    Row("followup:scorecard", expect=PUBLIC),
    Row("followup:scorecard", data=lambda w: {"namnd": w.bn.code}, expect=PUBLIC),
    Row("followup:scorecard", data=lambda w: {"namnd": str(w.ks.pk), "kategori": "999999"}, expect=PUBLIC),
    Row("followup:scorecard", method="POST", data=lambda w: {}, expect=PUBLIC_NOT_ALLOWED),
]
