"""The shared store: PostgreSQL, for several crawl processes on several machines (``CLEANCRAWL_STORE_URL``).

The same tables and columns as the SQLite store. A save runs in one transaction that first takes
transaction-scoped advisory locks on its canonical URL, content hash and SimHash band keys, in one order, so
concurrent workers saving the same or a near-same story one after the other each see what the other saved, and
never wait on each other in a cycle. Without the locks, 4 workers saving the same 150 stories at once collided
(a worker died on the articles primary key in every run; near-same copies could be stored twice).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg

from .base import TEMPLATE_MAX_FINGERPRINTS, StoreError
from .sql import SAVED_BY_INDEX, SCHEMA, SqlStore


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for ``name``, the same on every machine (unlike ``hash()``)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{netloc}"))


@cache
def in_schema(url: str, schema: str) -> str:
    """``url`` with libpq's ``options=-csearch_path=<schema>``: every table it creates or reads is in ``schema``."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _psycopg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(SqlStore):
    """The store in the PostgreSQL database at ``url`` (``postgresql://user:password@host:port/db``; libpq's
    ``?options=-csearch_path%3Dschema`` selects a schema); the tables are created when missing."""

    NOW = """to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""

    def __init__(self, url: str, crawl_id: str, *, template_max_fingerprints: int = TEMPLATE_MAX_FINGERPRINTS) -> None:
        super().__init__(crawl_id, template_max_fingerprints)
        self.url = url
        self.db = self._connect()
        with self._transaction(["schema"]):  # workers starting together must not create the tables twice
            self.db.execute(SCHEMA.format(now=self.NOW, compact="") + SAVED_BY_INDEX)

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(self.url, autocommit=True, application_name="cleancrawl")
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to the PostgreSQL store {redacted(self.url)}: {error}".strip()) from error

    @contextmanager
    def _reported(self) -> Iterator[psycopg.Connection[Any]]:
        """The connection (a new one if the last was lost: a server restart, a network cut); a failure of the
        server or the network is raised as StoreError, for the caller to count and go on."""
        if self.db.broken:
            self.db = self._connect()
        try:
            yield self.db
        except psycopg.OperationalError as error:
            raise StoreError(f"the PostgreSQL store {redacted(self.url)} failed: {error}".strip()) from error

    def close(self) -> None:
        self.db.close()

    def record_fetch(self, url: str, etag: str | None, last_modified: str | None, fetched_at: str) -> None:
        # Validators are hints (one lost in a server crash costs one unconditional fetch): not worth waiting for
        # the WAL flush of every page (7 of a write's 8 ms here).
        with self._reported() as db, db.transaction():
            db.execute("SET LOCAL synchronous_commit = off")
            super().record_fetch(url, etag, last_modified, fetched_at)

    @contextmanager
    def _transaction(self, locks: Collection[str]) -> Iterator[None]:
        with self._reported() as db, db.transaction():
            if locks:  # in one order (unnest keeps the array's): no two saves wait on each other in a cycle
                db.execute("SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key",
                           (sorted({lock_key(name) for name in locks}),))
            yield

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._reported() as db:
            return db.execute(_psycopg_sql(sql), params).fetchall()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._reported() as db:
            db.execute(_psycopg_sql(sql), params)

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._reported() as db, db.cursor() as cursor:
            cursor.executemany(_psycopg_sql(sql), rows)
