"""Concurrent tree writes on PostgreSQL: the lock keeps the tree sound, and without it the tree breaks."""

import random
import threading

import pytest
from django.db import connection, connections

from goals import tree
from goals.models import Goal
from goals.treecheck import tree_violations
from tests import factories
from tests.levels import Level

WORKERS = 8
OPERATIONS = 25

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL; SQLite has a single writer"
)


def build_chain():
    factories.board("KS", "Kommunstyrelsen")
    return factories.chain(council_goals=4, board_goals_each=3, boards=("BN", "KS"))


def run_writers(seed, operations=OPERATIONS):
    """Start WORKERS threads that create and move board goals at once; return the errors they met."""
    council_ids = list(Goal.objects.of_level(Level.COUNCIL).values_list("pk", flat=True))
    owners = list(factories.OrganisationFactory._meta.model.objects.filter(code__in=["BN", "KS"]))
    barrier = threading.Barrier(WORKERS)
    errors = []

    def work(number):
        rng = random.Random(seed * 100 + number)
        try:
            with connection.cursor() as cursor:
                # Unlocked writers deadlock often; find out in 20 ms instead of the default second.
                cursor.execute("SET deadlock_timeout = '20ms'")
            barrier.wait()
            for step in range(operations):
                parent = Goal(pk=rng.choice(council_ids))
                try:
                    if step % 2 == 0:
                        tree.create_goal(
                            parent=parent,
                            title=f"T{number}-{step}",
                            owner=rng.choice(owners),
                            index=rng.randint(0, 4),
                        )
                    else:
                        board_ids = list(Goal.objects.of_level(Level.BOARD).values_list("pk", flat=True))
                        goal = Goal.objects.get(pk=rng.choice(board_ids))
                        tree.move_goal(goal, parent=parent, index=rng.randint(0, 4))
                except Exception as error:  # noqa: BLE001 - every failure is collected and judged by the test
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_and_moves_keep_the_tree_sound(bn):
    build_chain()
    errors = run_writers(seed=1)
    assert errors == []
    assert tree_violations() == []
    assert Goal.objects.filter(title__startswith="T").count() == WORKERS * ((OPERATIONS + 1) // 2)


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_same_load_corrupts_the_tree(bn, settings):
    """Proof that the test above can see corruption: switch the lock off and the tree breaks."""
    settings.GOAL_TREE_LOCK = False
    build_chain()
    problems = []
    for round_number in range(5):
        run_writers(seed=round_number, operations=12)
        problems = tree_violations()
        if problems:
            break
    assert problems, "eight unlocked writers should have corrupted the tree"
