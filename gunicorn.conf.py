"""gunicorn's settings for Noramål's web process, the one place for them: production (Dockerfile,
compose.yaml, the systemd unit of docs/deploy.md) and `make bench` (tests/bench/load.py) start gunicorn
with `-c gunicorn.conf.py`; a command-line option (the bench's own --bind and log) wins over this file.

Threads: a worker process answers with WEB_THREADS threads (4), so that one slow request (a Word export
of a large report, a large sheet saved) does not hold up the requests queued behind it: the others go on
while it waits for the database and between its steps. Processes: WEB_CONCURRENCY (2), one per core of a
2-core machine; more processes than cores only trade memory for time slices. Measured (docs/performance.md,
2026-12-03): on a saturated, shared machine 4 threads gave no gain over 1, because the time went to whole
tree renders after edits that several threads did at once; WEB_THREADS=1 behaves as sync workers if a
site needs it. Each thread keeps its own database
connection (CONN_MAX_AGE, checked before reuse), so PostgreSQL sees up to workers × threads connections
plus the task worker's; SQLite writers queue on its lock (noramal/config.py: WAL, IMMEDIATE, 20 s timeout).
Slow work (PDF and Word reports) is never done in a request: it goes to the task worker (db_worker).
"""

import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# A request that takes a minute is a fault: the worker is restarted (every bounded page answers far sooner).
timeout = 60
graceful_timeout = 30
# Idle keep-alive connections from the proxy in front are held open this long, without holding a thread.
keepalive = 5
