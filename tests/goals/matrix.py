"""The goal chain's rows of the permission matrix (see tests/matrix.py).

Who may do what, in words: everyone reads the public pages; anonymous visitors are sent to log in for
anything else; a logged-in user who may write nothing (a reader) gets 403 on every write; an editor writes
its own board's goals and gets 404 for another board's and for the council's; controllers and admins
write the whole chain; only admins manage users and roles.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model

from accounts.models import Membership
from goals.models import (
    Activity,
    Assignment,
    Category,
    CategorySet,
    Goal,
    GoalCategory,
    GoalLevel,
    Indicator,
    IndicatorCategory,
    Organisation,
    Target,
)
from tests import factories
from tests.matrix import Row, expect


def extend(world):
    """A perspective (a category of the set "perspektiv") and a council assignment to BN without a goal.
    (What the rows delete they create themselves, in their test.)"""
    world.perspective = factories.perspective("Livskvalitet")
    world.bn_assignment = council_assignment(world)


def council_assignment(world):
    """The council's assignment to BN without a goal (one world, one assignment, whichever app adds it)."""
    existing = getattr(world, "bn_assignment", None)
    if existing is not None:
        return existing
    return Assignment.objects.create(
        title="Utred skolskjutsarna", owner=world.bn, decision="KF § 12 2025-02-17"
    )


def spare_goal(w):
    """A BN goal with an indicator, a target and an activity, made inside the test that deletes it."""
    goal = factories.goal(w.kf_goal, "Fler läsande elever", owner=w.bn)
    indicator = factories.IndicatorFactory(goal=goal, name="Läsförståelse åk 3")
    factories.TargetFactory(indicator=indicator, year=2027, value=Decimal("80"), tolerance=2)
    factories.ActivityFactory(goal=goal, title="Lässtunder")
    return goal


def spare_set(w):
    return factories.CategorySetFactory(key="fokus", name="Fokusområde")


def spare_category(w):
    """A second perspective, after the world's: one that no goal carries and that can move up."""
    return factories.perspective("Hållbarhet", position=5)


def spare_indicator(w):
    return factories.IndicatorFactory(goal=w.bn_goal, name="Närvaro")


def spare_activity(w):
    return factories.ActivityFactory(goal=w.bn_goal, title="Lässtunder")


def spare_assignment(w):
    return Assignment.objects.create(title="Se över lokalerna", owner=w.ks, goal=w.kf_goal)


def assignment_data(w):
    return {
        "title": "Ta fram en lokalförsörjningsplan",
        "description": "",
        "decision": "KF § 30 2025-04-14",
        "owner": w.ks.pk,
        "due_date": "2026-06-30",
        "goal": "",
    }


def goals_state(w):
    """Everything the goal pages can write, as plain values: any change anywhere shows."""
    user_model = get_user_model()
    return (
        tuple(
            Goal.objects.order_by("pk").values_list(
                "pk", "parent_id", "position", "title", "owner_id", "description"
            )
        ),
        tuple(GoalCategory.objects.order_by("pk").values_list("goal_id", "category_id", "position")),
        tuple(
            IndicatorCategory.objects.order_by("pk").values_list("indicator_id", "category_id", "position")
        ),
        tuple(Indicator.objects.order_by("pk").values_list("pk", "goal_id", "name", "unit", "owner_id")),
        tuple(
            Target.objects.order_by("pk").values_list(
                "pk", "indicator_id", "from_year", "to_year", "value", "tolerance"
            )
        ),
        tuple(Activity.objects.order_by("pk").values_list("pk", "goal_id", "title", "owner_id")),
        tuple(CategorySet.objects.order_by("pk").values_list("pk", "key", "name", "position")),
        tuple(
            Category.objects.order_by("pk").values_list(
                "pk", "set_id", "name", "description", "valid_from", "valid_to", "position"
            )
        ),
        tuple(
            Assignment.objects.order_by("pk").values_list("pk", "goal_id", "title", "owner_id", "due_date")
        ),
        tuple(Membership.objects.order_by("pk").values_list("pk", "user_id", "organisation_id", "role")),
        tuple(user_model.objects.order_by("pk").values_list("pk", "username", "password")),
        tuple(Organisation.objects.order_by("pk").values_list("pk", "code", "name")),
        tuple(GoalLevel.objects.order_by("pk").values_list("pk", "key", "name", "plural", "position")),
    )


# --- Expectations --------------------------------------------------------------------------------------

PUBLIC = expect(anonymous=200, rest=200)
# The public pages only show: a POST is 405 for everyone.
PUBLIC_NO_POST = expect(anonymous=405, rest=405)
# A page that is not public but that every role may read (history, one's own page).
READERS = expect(rest=200)
# GET-only pages: a POST is refused with 405 (after the login check).
NO_POST = expect(rest=405)
# POST-only writes: a GET is refused with 405 (after the login check).
NO_GET = expect(rest=405)
# Writes on BN's objects: BN's editor, controllers and admins; KS's editor does not find them.
BN_FORM = expect(reader=403, editor_ks=404)
BN_WRITE = expect(reader=403, editor_ks=404, rest=302)
KS_FORM = expect(reader=403, editor_bn=404)
KS_WRITE = expect(reader=403, editor_bn=404, rest=302)
# The council's part of the chain: controllers and admins; board editors do not find it.
COUNCIL_FORM = expect(reader=403, editor_bn=404, editor_ks=404)
COUNCIL_WRITE = expect(reader=403, editor_bn=404, editor_ks=404, rest=302)
# Controllers' pages that are not about one object (categories, styrmodell): 403 for the others.
CONTROLLER_FORM = expect(reader=403, editor_bn=403, editor_ks=403)
CONTROLLER_WRITE = expect(reader=403, editor_bn=403, editor_ks=403, rest=302)
ADMIN_PAGE = expect(reader=403, editor_bn=403, editor_ks=403, controller=403)
ADMIN_WRITE = expect(reader=403, editor_bn=403, editor_ks=403, controller=403, rest=302)


def board_goal_data(w):
    return {"title": "Fler elever når kunskapskraven", "description": "Med *stöd*.", "owner": w.bn.pk}


def bn_goal_edit(w):
    return {"title": "Ökad måluppfyllelse i hela skolan", "description": "Ny text.", "owner": w.bn.pk}


def council_goal_data(w):
    key = f"categories_{w.perspective.set_id}"
    return {"title": "Nytt KF-mål", "owner": w.council.pk, key: [w.perspective.pk]}


def indicator_data(w, indicator=None):
    """An indicator form with one new target, plus the indicator's existing targets unchanged."""
    existing = list(Target.objects.filter(indicator=indicator)) if indicator else []
    data = {
        "name": "Andel elever med godkänt i alla ämnen",
        "unit": "%",
        "direction": "higher",
        "decimals": 1,
        "owner": w.bn.pk,
        "targets-TOTAL_FORMS": len(existing) + 1,
        "targets-INITIAL_FORMS": len(existing),
        "targets-MIN_NUM_FORMS": 0,
        "targets-MAX_NUM_FORMS": 1000,
    }
    for i, target in enumerate(existing):
        data |= {f"targets-{i}-id": target.pk, f"targets-{i}-from_year": target.from_year}
        data |= {f"targets-{i}-comparison": target.comparison, f"targets-{i}-tolerance_unit": "absolute"}
        data |= {f"targets-{i}-value": target.value, f"targets-{i}-tolerance": target.tolerance}
    n = len(existing)
    new = {
        "from_year": 2030,
        "comparison": "at_least",
        "value": "95,5",
        "tolerance": "2",
        "tolerance_unit": "absolute",
    }
    return data | {f"targets-{n}-{key}": value for key, value in new.items()}


def activity_data(w):
    return {"title": "Läxhjälp", "owner": w.bn.pk, "responsible": "Rektor", "start_date": "2026-09-01"}


def ks_activity_data(w):
    return {"title": "Detaljplan Södra", "owner": w.ks.pk}


def level_pk(key):
    return GoalLevel.objects.get(key=key).pk


def board_level_data(w):
    """The board level renamed, its rules unchanged."""
    return {
        "name": "Nämndens mål",
        "plural": "Nämndens mål",
        "position": 3,
        "owner_kinds": ["board", "committee"],
        "parents": [level_pk("council")],
    }


def spare_level(w):
    return GoalLevel.objects.create(key="uppdrag", name="Uppdrag", plural="Uppdrag", position=9)


def _rows(name, args, get, post, data=None, unchanged=goals_state):
    """A GET row and a POST row for one URL."""
    return [
        Row(name, args=args, expect=get),
        Row(name, args=args, method="POST", data=data, expect=post, unchanged=unchanged),
    ]


ROWS = [
    # Public pages.
    *_rows("goals:home", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    *_rows("goals:tree", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    *_rows("goals:accessibility", lambda w: [], PUBLIC, PUBLIC),
    *_rows("goals:search", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    *_rows("goals:detail", lambda w: [w.bn_goal.pk], PUBLIC, PUBLIC_NO_POST),
    # Goals: a board goal under a KF goal (KS's editor may open the form, but not give BN the goal).
    *_rows(
        "goals:goal_create",
        lambda w: [w.kf_goal.pk],
        expect(reader=403),
        expect(reader=403, editor_ks=200, rest=302),
        board_goal_data,
    ),
    # A unit goal under BN's board goal; a KF goal under the overarching goal.
    *_rows("goals:goal_create", lambda w: [w.bn_goal.pk], BN_FORM, BN_WRITE, board_goal_data),
    *_rows("goals:goal_create", lambda w: [w.overarching.pk], COUNCIL_FORM, COUNCIL_WRITE, council_goal_data),
    *_rows("goals:goal_edit", lambda w: [w.bn_goal.pk], BN_FORM, BN_WRITE, bn_goal_edit),
    *_rows("goals:goal_edit", lambda w: [w.kf_goal.pk], COUNCIL_FORM, COUNCIL_WRITE, council_goal_data),
    *_rows(
        "goals:goal_move",
        lambda w: [w.bn_goal.pk],
        BN_FORM,
        BN_WRITE,
        lambda w: {"parent": w.kf_goal.pk, "place": 2},
    ),
    *_rows("goals:goal_delete", lambda w: [spare_goal(w).pk], BN_FORM, BN_WRITE, lambda w: {}),
    # The top of the chain is never deleted on the web: controllers see why (409 on POST).
    *_rows(
        "goals:goal_delete",
        lambda w: [w.vision.pk],
        COUNCIL_FORM,
        expect(reader=403, editor_bn=404, editor_ks=404, rest=409),
    ),
    *_rows("goals:goal_history", lambda w: [w.bn_goal.pk], READERS, NO_POST),
    # Indicators with their targets, and activities.
    *_rows("goals:indicator_create", lambda w: [w.bn_goal.pk], BN_FORM, BN_WRITE, indicator_data),
    *_rows("goals:indicator_create", lambda w: [w.kf_goal.pk], COUNCIL_FORM, COUNCIL_WRITE, indicator_data),
    *_rows(
        "goals:indicator_edit",
        lambda w: [w.bn_indicator.pk],
        BN_FORM,
        BN_WRITE,
        lambda w: indicator_data(w, w.bn_indicator),
    ),
    *_rows("goals:indicator_delete", lambda w: [spare_indicator(w).pk], BN_FORM, BN_WRITE, lambda w: {}),
    *_rows("goals:indicator_history", lambda w: [w.bn_indicator.pk], READERS, NO_POST),
    *_rows("goals:activity_create", lambda w: [w.bn_goal.pk], BN_FORM, BN_WRITE, activity_data),
    *_rows("goals:activity_edit", lambda w: [w.bn_activity.pk], BN_FORM, BN_WRITE, activity_data),
    *_rows("goals:activity_edit", lambda w: [w.ks_activity.pk], KS_FORM, KS_WRITE, ks_activity_data),
    *_rows("goals:activity_delete", lambda w: [spare_activity(w).pk], BN_FORM, BN_WRITE, lambda w: {}),
    # The council's assignments: everyone reads them; controllers write them (the owner reports status).
    *_rows("goals:assignments", lambda w: [], PUBLIC, PUBLIC_NO_POST),
    *_rows("goals:assignment_create", lambda w: [], CONTROLLER_FORM, CONTROLLER_WRITE, assignment_data),
    *_rows(
        "goals:goal_assignment_create",
        lambda w: [w.kf_goal.pk],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        assignment_data,
    ),
    *_rows(
        "goals:assignment_edit",
        lambda w: [w.bn_assignment.pk],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        assignment_data,
    ),
    *_rows(
        "goals:assignment_delete",
        lambda w: [spare_assignment(w).pk],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {},
    ),
    # A revised goal file: controllers (a POST without a file shows the form again and changes nothing).
    *_rows("goals:revise", lambda w: [], CONTROLLER_FORM, CONTROLLER_FORM, lambda w: {}),
    # A new mandate period or budget year: controllers (a POST without years shows the form again).
    *_rows("goals:new_period", lambda w: [], CONTROLLER_FORM, CONTROLLER_FORM, lambda w: {}),
    # Categories: controllers.
    *_rows("goals:categories", lambda w: [], CONTROLLER_FORM, NO_POST),
    *_rows(
        "goals:category_set_create",
        lambda w: [],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {"key": "malomrade", "name": "Målområde"},
    ),
    *_rows(
        "goals:category_set_edit",
        lambda w: [w.perspective.set_id],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {"name": "Perspektiv i planen"},
    ),
    *_rows(
        "goals:category_set_delete",
        lambda w: [spare_set(w).pk],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {},
    ),
    Row("goals:category_set_install", args=lambda w: ["agenda2030"], expect=NO_GET),
    Row(
        "goals:category_set_install",
        args=lambda w: ["agenda2030"],
        method="POST",
        data=lambda w: {},
        expect=CONTROLLER_WRITE,
        unchanged=goals_state,
    ),
    *_rows(
        "goals:category_create",
        lambda w: [w.perspective.set_id],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {"name": "Attraktivitet", "description": "Nora lockar."},
    ),
    *_rows(
        "goals:category_edit",
        lambda w: [w.perspective.pk],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {"name": "Livskvalitet", "description": "Ny beskrivning.", "valid_to": 2030},
    ),
    Row("goals:category_move", args=lambda w: [w.perspective.pk], expect=NO_GET),
    Row(
        "goals:category_move",
        args=lambda w: [spare_category(w).pk],
        method="POST",
        data=lambda w: {"direction": "up"},
        expect=CONTROLLER_WRITE,
        unchanged=goals_state,
    ),
    *_rows(
        "goals:category_delete",
        lambda w: [spare_category(w).pk],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {},
    ),
    # The styrmodell: controllers.
    *_rows(
        "goals:styrmodell",
        lambda w: [],
        CONTROLLER_FORM,
        NO_POST,
    ),
    *_rows(
        "goals:level_create",
        lambda w: [],
        CONTROLLER_FORM,
        CONTROLLER_WRITE,
        lambda w: {
            "key": "delmal",
            "name": "Delmål",
            "plural": "Delmål",
            "position": 5,
            "owner_kinds": ["council"],
            "parents": [level_pk("council")],
        },  # fmt: skip
    ),
    *_rows(
        "goals:level_edit", lambda w: [level_pk("board")], CONTROLLER_FORM, CONTROLLER_WRITE, board_level_data
    ),
    *_rows(
        "goals:level_delete", lambda w: [spare_level(w).pk], CONTROLLER_FORM, CONTROLLER_WRITE, lambda w: {}
    ),
]
