"""The embedded store: one SQLite file, the default.

Every write is its own transaction in WAL mode: a crawl killed at any moment leaves the store whole. SQLite has one
writer at a time, so a transaction's locks are the database's write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .base import TEMPLATE_MAX_FINGERPRINTS
from .sql import SAVED_BY_INDEX, SCHEMA, SqlStore


class SQLiteStore(SqlStore):
    """The store in the SQLite file at ``path`` (created with its folder when missing)."""

    NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

    def __init__(self, path: Path | str, crawl_id: str, *,
                 template_max_fingerprints: int = TEMPLATE_MAX_FINGERPRINTS) -> None:
        super().__init__(crawl_id, template_max_fingerprints)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA.format(now=f"({self.NOW})", compact=" WITHOUT ROWID"))
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        if "saved_by" not in columns:  # a store written before the feed recovery knew which crawl saved what
            self.db.execute("ALTER TABLE articles ADD COLUMN saved_by TEXT")
        self.db.execute(SAVED_BY_INDEX)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _transaction(self, locks: Collection[str]) -> Iterator[None]:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            yield

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, params).fetchall()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(sql, params)

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)
