"""`make bench`: speed figures of the goal tree on SQLite and, when DATABASE_URL is set, on PostgreSQL.

Each database is measured in its own process (settings are read once per process) on a throw-away
database: a temporary SQLite file, or a `<name>_bench` PostgreSQL database that is dropped afterwards.
"""

import os
import subprocess
import sys


def main():
    targets = [("SQLite", {k: v for k, v in os.environ.items() if k != "DATABASE_URL"})]
    if os.environ.get("DATABASE_URL"):
        targets.append(("PostgreSQL", dict(os.environ)))
    status = 0
    for name, env in targets:
        print(f"\n## {name}\n", flush=True)
        status |= subprocess.call([sys.executable, "-m", "tests.bench.tree"], env=env)
    return status


if __name__ == "__main__":
    sys.exit(main())
