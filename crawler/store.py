"""The embedded article store: one SQLite row per canonical URL, upserted.

Plain Python (no Scrapy) so that later stages can read it directly. Every write is
its own transaction in WAL mode: a crawl killed at any moment leaves the store whole.
"""

from __future__ import annotations

import json
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    site TEXT,
    title TEXT,
    language TEXT,
    date_published TEXT,
    record TEXT NOT NULL,
    first_saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    last_saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    crawl_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash);
"""


class SaveStatus(str, Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


class ArticleStore:
    """Articles keyed by canonical URL; a content hash is stored once."""

    def __init__(self, path: Path | str, crawl_id: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.crawl_id = crawl_id
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def save(self, record: dict[str, Any]) -> SaveStatus:
        """Insert or update one record; tell whether it was new, updated, unchanged or a duplicate."""
        key = record["canonical_url"] or record["url"]
        digest = record["content_hash"]
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            row = self.db.execute("SELECT content_hash, crawl_id FROM articles WHERE canonical_url = ?", (key,)).fetchone()
            if row is not None and row[1] == self.crawl_id:
                return SaveStatus.DUPLICATE
            if row is not None and row[0] == digest:
                self.db.execute("UPDATE articles SET crawl_id = ? WHERE canonical_url = ?", (self.crawl_id, key))
                return SaveStatus.UNCHANGED
            other = self.db.execute(
                "SELECT 1 FROM articles WHERE content_hash = ? AND canonical_url != ?", (digest, key)
            ).fetchone()
            if other is not None:
                return SaveStatus.DUPLICATE
            values = (key, record["url"], digest, record["site"], record["title"], record["language"],
                      record["date_published"], json.dumps(record, ensure_ascii=False), self.crawl_id)
            if row is None:
                self.db.execute(
                    "INSERT INTO articles (canonical_url, url, content_hash, site, title, language, date_published,"
                    " record, crawl_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
                return SaveStatus.NEW
            self.db.execute(
                "UPDATE articles SET url = ?, content_hash = ?, site = ?, title = ?, language = ?, date_published = ?,"
                " record = ?, crawl_id = ?, last_saved_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                " WHERE canonical_url = ?", values[1:] + (key,))
            return SaveStatus.UPDATED

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(row[0]) for row in self.db.execute("SELECT record FROM articles ORDER BY canonical_url")]
