"""What every migration test shares: it leaves the database at today's whole schema.

A test that migrates goals back also unapplies every later migration of other apps that depends on them
(followup's, reports'); migrating goals forward again does not bring those back, and the next test that
uses the whole schema (a live server, a flush) would find tables missing.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.fixture(autouse=True)
def whole_schema_afterwards(transactional_db):
    """After the test, every app at its newest migration."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
