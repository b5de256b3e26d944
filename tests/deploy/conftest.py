"""Fixtures of the deployment tests."""

from tests.deploy.servers import database_url, fresh_databases  # noqa: F401 - fixtures
