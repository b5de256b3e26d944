"""The permission matrix's rows for the provenance pages (followup.provenance): a value's, a judgement's
and a target's page is read by whoever reads the object itself.

Uses the follow-up world's values (an open period's, a closed period's) and the judgements of
tests.followup.matrix_public (which must come before this module in tests.matrix.CONTRIBUTORS); `extend`
adds a target.
"""

from followup.models import Assessment, IndicatorValue
from goals.models import Target
from tests.matrix import Row, expect

PUBLIC = expect(anonymous=200)
WITH_A_ROLE = expect()
NO_ONE = expect(reader=403, editor_bn=403, editor_ks=403, controller=403, admin=403)
PUBLIC_NOT_ALLOWED = expect(anonymous=405, rest=405)


def extend(world):
    world.bn_target = Target.objects.create(
        indicator=world.bn_indicator, from_year=2040, to_year=2040, value=95
    )


def _value(period):
    return lambda w: [IndicatorValue.objects.get(indicator=w.bn_indicator, period=getattr(w, period)).pk]


def _judgement(goal):
    return lambda w: [Assessment.objects.get(goal=getattr(w, goal)).pk]


def _rows(name, args, expected):
    return [
        Row(name, args=args, expect=expected),
        Row(name, args=args, method="POST", expect=PUBLIC_NOT_ALLOWED),
    ]


ROWS = [
    # A typed value of an open period: those with a role; a closed period's value: anyone.
    *_rows("followup:provenance_value", _value("period"), WITH_A_ROLE),
    *_rows("followup:provenance_value", _value("closed_period"), PUBLIC),
    # Judgements as Assessment.objects.visible_to says: approved in a closed period for anyone, submitted
    # ones for those with a role, a draft for no one.
    *_rows("followup:provenance_judgement", _judgement("public_goal"), PUBLIC),
    *_rows("followup:provenance_judgement", _judgement("closed_submitted_goal"), WITH_A_ROLE),
    *_rows("followup:provenance_judgement", _judgement("open_approved_goal"), WITH_A_ROLE),
    *_rows("followup:provenance_judgement", _judgement("closed_draft_goal"), NO_ONE),
    # A target, like the goal chain: anyone.
    *_rows("followup:provenance_target", lambda w: [w.bn_target.pk], PUBLIC),
]
