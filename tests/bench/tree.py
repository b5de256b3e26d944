"""Goal tree benchmark on one database: import, tree page, one board's subtree, add and move a goal."""

import os
import statistics
import sys
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noramal.settings")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
GOALS = int(os.environ.get("BENCH_GOALS", "5000"))
BOARDS = int(os.environ.get("BENCH_BOARDS", "30"))
# BENCH_TREE_PAGE_ONLY=1: only the import and the tree page rows (for iterating on the tree page).
TREE_PAGE_ONLY = os.environ.get("BENCH_TREE_PAGE_ONLY") == "1"


def timed(action, runs=RUNS, before=None):
    """Median and spread in milliseconds of `runs` calls of `action` (`before` runs untimed first)."""
    samples = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def run():
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from goals import goalfile, tree, treecache
    from goals.models import Goal, Organisation
    from goals.synthetic import synthetic_document
    from goals.treecheck import tree_violations
    from tests.levels import Level

    setup_test_environment()
    with tempfile.TemporaryDirectory() as folder:
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = os.path.join(folder, "bench.sqlite3")
        else:
            connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_bench"
        old = setup_databases(verbosity=0, interactive=False, keepdb=False)
        try:
            document = synthetic_document(goal_count=GOALS, boards=BOARDS)
            rows = [
                (
                    "import the goal file",
                    timed(
                        lambda: goalfile.import_document(document, replace=True),
                        runs=1 if TREE_PAGE_ONLY else RUNS,
                    ),
                )
            ]
            count = Goal.objects.count()
            assert tree_violations() == [], "the benchmark tree is broken"

            client = Client()
            client.get("/mal/")  # warm the template cache
            rows += tree_page_rows(client, folder)
            if TREE_PAGE_ONLY:
                return report(rows, count, connection)
            boards = list(Organisation.objects.filter(kind=Organisation.Kind.BOARD).order_by("code"))
            board = boards[len(boards) // 2]

            def board_subtree():
                tops = Goal.objects.filter(owner=board, level_kind=Level.BOARD)
                return list(
                    Goal.objects.get_queryset_descendants(tops, include_self=True).select_related("owner")
                )

            rows.append((f"fetch board {board.code}'s subtree", timed(board_subtree)))
            # The header's search (goals/search.py): the chain folded in Python, a fixed number of queries.
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                hits = client.get("/sok/", {"q": "forskola"}).content.decode().count("<li><a href")
            rows.append(
                (
                    f"search page for 'forskola' ({hits} hits shown, {len(queries)} queries)",
                    timed(lambda: client.get("/sok/", {"q": "forskola"})),
                )
            )
            rows.append(
                (
                    "search page for two words ('trygg skola')",
                    timed(lambda: client.get("/sok/", {"q": "trygg skola"})),
                )
            )
            rows.append(
                (
                    f"render the tree page filtered to {board.code} (cache invalidated first)",
                    timed(lambda: client.get(f"/mal/?namnd={board.code}"), before=treecache.changed),
                )
            )

            councils = list(Goal.objects.of_level(Level.COUNCIL).order_by("tree_id", "lft"))
            middle = councils[len(councils) // 2]
            added = []
            rows.append(
                (
                    "add a board goal (middle of the tree)",
                    timed(
                        lambda: added.append(
                            tree.create_goal(parent=middle, title="Bänkmål", owner=board, index=0)
                        )
                    ),
                )
            )
            mover = Goal.objects.filter(parent=councils[0], level_kind=Level.BOARD).first()
            targets = [councils[-1], councils[0]]

            def move():
                tree.move_goal(mover, parent=targets[0], index=0)
                targets.reverse()

            rows.append(("move a board goal with its subtree", timed(move)))
            assert tree_violations() == [], "the tree broke during the benchmark"
            rows += revision_rows()
            assert tree_violations() == [], "the tree broke during the revision"
        finally:
            teardown_databases(old, verbosity=0)
    return report(rows, count, connection)


def report(rows, count, connection):
    print(
        f"{count} goals, {BOARDS} boards, median of {RUNS} runs (min–max), {connection.vendor}, "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n"
    )
    print("| operation | median ms | min–max ms |")
    print("| --- | ---: | ---: |")
    for name, (median, low, high) in rows:
        print(f"| {name} | {median:.1f} | {low:.1f}–{high:.1f} |")
    return 0


def tree_page_rows(client, folder):
    """The tree page: rendered with no row kept, after one title edit (the rows kept in
    goals/treerows.py, only the edited one rendered again), from the tree cache (goals/treecache.py), and
    the same bytes served as a static file, all in-process."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import RequestFactory
    from django.views.static import serve

    from goals import tree, treecache, treerows
    from goals.models import Goal

    rows = [
        (
            "render the tree page, no row kept (cache invalidated first)",
            timed(lambda: client.get("/mal/"), before=lambda: (treecache.changed(), treerows.forget())),
        )
    ]
    client.get("/mal/")
    goal = Goal.objects.filter(parent__isnull=False).order_by("-lft").first()
    titles = [goal.title, goal.title + " (ändrad)"]

    def edit():
        titles.reverse()
        tree.update_goal(goal, title=titles[0])

    rows.append(("tree page after one title edit", timed(lambda: client.get("/mal/"), before=edit)))
    # The same, while another worker renders the changed tree (its lock held): the earlier tree is served.
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM noramal_cache WHERE cache_key LIKE %s", ["%goals:tree:%:%"])
        [entry_key] = [
            key.split(":", 2)[2] for (key,) in cursor.fetchall() if not key.endswith(treecache.VERSION_KEY)
        ]
    cache = caches[settings.GOAL_TREE_CACHE]
    cache.add(entry_key + ":rendering", "bench", timeout=treecache.LOCK_SECONDS)
    rows.append(
        (
            "tree page after one title edit while another worker renders it (the earlier tree served)",
            timed(lambda: client.get("/mal/"), before=edit),
        )
    )
    cache.delete(entry_key + ":rendering")
    page = client.get("/mal/").content
    assert titles[0].encode() in page or titles[0] in page.decode()
    rows.append((f"cached tree page ({len(page) / 1e6:.1f} MB)", timed(lambda: client.get("/mal/"))))
    with open(os.path.join(folder, "tree.html"), "wb") as file:
        file.write(page)
    request = RequestFactory().get("/tree.html")
    rows.append(
        (
            "the same bytes as a static file (django.views.static.serve)",
            timed(lambda: b"".join(serve(request, "tree.html", document_root=folder))),
        )
    )
    return rows


def revision_rows(sizes=(25, 100)):
    """A revised goal file for the whole tree (goals/goalfile/revision/): read, checked, matched, planned
    and applied. Unchanged, and for each size with that many goals each renamed, moved, added and left
    out (25: about 90 changes; 100: about 310)."""
    import json

    from goals import goalfile

    original = json.loads(goalfile.dumps(goalfile.export_document()))
    rows = [("plan a revision of the whole tree, unchanged file", timed(lambda: plan_of(original)))]
    for changed in sizes:
        if changed != sizes[0]:
            original = json.loads(goalfile.dumps(goalfile.export_document()))
        revised = revised_document(original, changed)
        planned = plan_of(revised)
        counts = ", ".join(f"{n} {kind}" for (_m, kind), n in sorted(planned.counts.items()) if _m == "goal")
        runs = RUNS if changed == sizes[0] else 1
        rows.append(
            (
                f"plan a revision ({counts}; {planned.changes} changes)",
                timed(lambda doc=revised: plan_of(doc), runs),
            )
        )
        rows.append((f"apply it ({counts}), one run", timed(lambda doc=revised: apply_revised(doc), runs=1)))
    return rows


def plan_of(doc):
    from goals import goalfile
    from goals.goalfile import revision

    text = goalfile.dumps(doc)
    return revision.plan_revision(goalfile.read(text), 2027, sha256=revision.file_sha256(text.encode()))


def apply_revised(doc):
    from goals.goalfile import revision

    revision.apply_revision(plan_of(doc), reason="Bänk", decision="KF § 1 2026-11-23")


def revised_document(original, changed):
    """`original` (an exported document) with `changed` leaf goals renamed, left out, moved and added."""
    import json

    revised = json.loads(json.dumps(original))
    goals, stack = [], [(None, g) for g in revised["goals"]]
    while stack:
        parent, goal = stack.pop()
        goals.append((parent, goal))
        stack += [(goal, child) for child in goal.get("children", [])]
    # Leaves of the commonest level, whose parents are all of one level too (so that moves keep the chain).
    leaves = [(p, g) for p, g in goals if not g.get("children") and p is not None]
    level = max({g["level"] for _p, g in leaves}, key=lambda k: sum(g["level"] == k for _p, g in leaves))
    leaves = [(p, g) for p, g in leaves if g["level"] == level]
    for _parent, goal in leaves[:changed]:
        goal["title"] += " (reviderat)"
    for parent, goal in leaves[changed : 2 * changed]:
        parent["children"].remove(goal)  # left out: deleted (the benchmark has no follow-up)
    hosts = [p for p, _g in leaves[-changed:]]  # far from the goals that move
    for index, (parent, goal) in enumerate(leaves[3 * changed : 4 * changed]):
        if parent is hosts[-1 - index]:
            continue
        parent["children"].remove(goal)
        hosts[-1 - index]["children"].append(goal)  # moved to another parent
    for index, (parent, goal) in enumerate(leaves[4 * changed : 5 * changed]):
        new = {"level": level, "title": f"Nytt mål {changed}-{index} i revideringen", "owner": goal["owner"]}
        parent["children"].append(new)
    return revised


if __name__ == "__main__":
    django.setup()
    sys.exit(run())
