"""The shared store: PostgreSQL, for several crawl processes on several machines (``CLEANCRAWL_STORE_URL``).

The same tables and columns as the SQLite store. A save runs in one transaction that first takes
transaction-scoped advisory locks on its canonical URL, content hash and SimHash band keys, in one order, so
concurrent workers saving the same or a near-same story one after the other each see what the other saved, and
never wait on each other in a cycle. Without the locks, 4 workers saving the same 150 stories stored some twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from .base import TEMPLATE_MAX_FINGERPRINTS, StoreError
from .sql import SqlStore

_NOW = """to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    simhash TEXT,
    site TEXT,
    title TEXT,
    language TEXT,
    date_published TEXT,
    record TEXT NOT NULL,
    first_saved_at TEXT NOT NULL DEFAULT {_NOW},
    last_saved_at TEXT NOT NULL DEFAULT {_NOW},
    crawl_id TEXT NOT NULL,
    saved_by TEXT
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash);
CREATE INDEX IF NOT EXISTS articles_last_saved_at ON articles (last_saved_at);
CREATE INDEX IF NOT EXISTS articles_saved_by ON articles (saved_by);
CREATE TABLE IF NOT EXISTS simhash_bands (
    band TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    PRIMARY KEY (band, canonical_url)
);
CREATE INDEX IF NOT EXISTS simhash_bands_canonical_url ON simhash_bands (canonical_url);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    canonical_url TEXT,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS duplicates (
    url TEXT PRIMARY KEY,
    canonical_url TEXT,
    duplicate_of TEXT NOT NULL,
    kind TEXT NOT NULL,
    bits_apart INTEGER,
    seen_at TEXT NOT NULL DEFAULT {_NOW}
);
CREATE TABLE IF NOT EXISTS site_templates (
    site TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pages INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (site, fingerprint)
);
CREATE TABLE IF NOT EXISTS site_template_pages (
    site TEXT NOT NULL,
    page TEXT NOT NULL,
    PRIMARY KEY (site, page)
);
"""


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
def _psycopg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(SqlStore):
    """The store in the PostgreSQL database at ``url`` (``postgresql://user:password@host:port/db``; libpq's
    ``?options=-csearch_path%3Dschema`` selects a schema); the tables are created when missing."""

    NOW = _NOW

    def __init__(self, url: str, crawl_id: str, *, template_max_fingerprints: int = TEMPLATE_MAX_FINGERPRINTS) -> None:
        super().__init__(crawl_id, template_max_fingerprints)
        self.url = url
        try:
            self.db = psycopg.connect(url, autocommit=True, application_name="cleancrawl")
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to the PostgreSQL store {redacted(url)}: {error}".strip()) from error
        with self._transaction(["schema"]):  # workers starting together must not create the tables twice
            self.db.execute(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _transaction(self, locks: Collection[str]) -> Iterator[None]:
        with self.db.transaction():
            if locks:  # in one order (unnest keeps the array's): no two saves wait on each other in a cycle
                self.db.execute("SELECT pg_advisory_xact_lock(key) FROM unnest(%s::bigint[]) AS key",
                                (sorted({lock_key(name) for name in locks}),))
            yield

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(_psycopg_sql(sql), params).fetchall()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(_psycopg_sql(sql), params)

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.db.cursor() as cursor:
            cursor.executemany(_psycopg_sql(sql), rows)
