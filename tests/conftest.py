"""Shared fixtures: paths, a validator for records, the store backends (a SQLite file, a PostgreSQL schema)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from cleaners import load_schema
from crawler.store.postgres import in_schema

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def record_validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# Servers for the tests (PostgreSQL, Redis): .ci/run starts them and exports their URLs; without one its tests skip
# locally and fail under CI (CI must never pass by skipping).
POSTGRES_URL_ENV = "CLEANCRAWL_TEST_POSTGRES_URL"
REDIS_URL_ENV = "CLEANCRAWL_TEST_REDIS_URL"


def _server_url(variable: str, server: str, section: str) -> str:
    url = os.environ.get(variable)
    if not url:
        message = f"{variable} is not set: no {server} to test against (README: {section})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def postgres_server() -> str:
    return _server_url(POSTGRES_URL_ENV, "PostgreSQL", "PostgreSQL")


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A PostgreSQL store URL in a schema of its own (parallel test runs never meet), dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server, autocommit=True) as db:
        db.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        yield in_schema(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as db:
            db.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store backend in turn: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def redis_server() -> str:
    return _server_url(REDIS_URL_ENV, "Redis", "Several machines")


@pytest.fixture
def redis_run(redis_server: str) -> Iterator[str]:
    """A run id (the Redis key prefix) of this test alone; its keys are deleted afterwards."""
    import redis

    run = f"test-{uuid.uuid4().hex[:16]}"
    yield run
    client = redis.Redis.from_url(redis_server)
    try:
        keys = list(client.scan_iter(match=f"{run}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
