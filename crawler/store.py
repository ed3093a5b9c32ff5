"""The embedded store: articles (one row per canonical URL), the crawl state of every
fetched URL, the copies that were not saved because a story was already there, and
each site's template memory (the fingerprints of the blocks seen on its pages).

Plain Python (no Scrapy) so later stages can read it directly. Every write is its own
transaction in WAL mode: a crawl killed at any moment leaves the store whole.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from enum import Enum
from collections.abc import Collection
from pathlib import Path
from typing import Any

from simhash import Simhash, SimhashIndex

# Near-duplicates: SimHashes at most this many bits apart (of 64) are the same story.
NEAR_DUPLICATE_BITS = 3
_BANDS = SimhashIndex([], k=NEAR_DUPLICATE_BITS)  # only its band keys are used; the index lives in SQLite

_SCHEMA = """
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
    first_saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    last_saved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    crawl_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash);
CREATE TABLE IF NOT EXISTS simhash_bands (
    band TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    PRIMARY KEY (band, canonical_url)
) WITHOUT ROWID;
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
    seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE IF NOT EXISTS site_templates (
    site TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pages INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (site, fingerprint)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS site_templates_rarest ON site_templates (site, pages, last_seen);
CREATE TABLE IF NOT EXISTS site_template_pages (
    site TEXT NOT NULL,
    page TEXT NOT NULL,
    PRIMARY KEY (site, page)
) WITHOUT ROWID;
"""

# Fingerprints kept per site (CLEANCRAWL_TEMPLATE_MAX_FINGERPRINTS): the template memory stays bounded.
MAX_TEMPLATE_FINGERPRINTS = 5000


class SaveStatus(str, Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"


@dataclass(frozen=True)
class PageState:
    """What the store knows of a URL from earlier fetches."""

    canonical_url: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str


def _bands(value: str) -> list[str]:
    return list(_BANDS.get_keys(Simhash(int(value, 16))))


class ArticleStore:
    """Articles keyed by canonical URL; each story (same or near-same text) is stored once."""

    def __init__(self, path: Path | str, crawl_id: str,
                 max_template_fingerprints: int = MAX_TEMPLATE_FINGERPRINTS) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.crawl_id = crawl_id
        self.max_template_fingerprints = max_template_fingerprints
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def page_state(self, url: str) -> PageState | None:
        row = self.db.execute("SELECT canonical_url, etag, last_modified, fetched_at FROM pages WHERE url = ?", (url,)).fetchone()
        return PageState(*row) if row else None

    def record_fetch(self, url: str, etag: str | None, last_modified: str | None, fetched_at: str) -> None:
        """Remember a downloaded page's validators (its canonical URL is set once it is saved as an article)."""
        self.db.execute(
            "INSERT INTO pages (url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
            " fetched_at = excluded.fetched_at", (url, etag, last_modified, fetched_at))

    def _near_duplicate(self, value: str | None, key: str) -> tuple[str, int] | None:
        if not value:
            return None
        mine = Simhash(int(value, 16))
        bands = _bands(value)
        rows = self.db.execute(
            f"SELECT DISTINCT a.canonical_url, a.simhash FROM simhash_bands b JOIN articles a USING (canonical_url)"
            f" WHERE b.band IN ({', '.join('?' * len(bands))}) AND a.canonical_url != ?", (*bands, key)).fetchall()
        matches = [(mine.distance(Simhash(int(other, 16))), url) for url, other in rows if other]
        best = min(matches, default=None)
        return (best[1], best[0]) if best and best[0] <= NEAR_DUPLICATE_BITS else None

    def _record_duplicate(self, record: dict[str, Any], key: str, of: str, kind: SaveStatus, bits: int | None) -> SaveStatus:
        self.db.execute(
            "INSERT OR REPLACE INTO duplicates (url, canonical_url, duplicate_of, kind, bits_apart) VALUES (?, ?, ?, ?, ?)",
            (record["url"], key, of, kind.value, bits))
        return kind

    def save(self, record: dict[str, Any]) -> tuple[SaveStatus, str | None]:
        """Insert or update one record. Returns its status and, for duplicates, the canonical URL it copies."""
        key = record["canonical_url"] or record["url"]
        digest, value = record["content_hash"], record.get("simhash")
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("UPDATE pages SET canonical_url = ? WHERE url = ?", (key, record["url"]))
            row = self.db.execute("SELECT content_hash, crawl_id FROM articles WHERE canonical_url = ?", (key,)).fetchone()
            if row is not None and row[1] == self.crawl_id:
                return self._record_duplicate(record, key, key, SaveStatus.DUPLICATE, 0), key
            if row is not None and row[0] == digest:
                self.db.execute("UPDATE articles SET crawl_id = ? WHERE canonical_url = ?", (self.crawl_id, key))
                return SaveStatus.UNCHANGED, None
            same = self.db.execute(
                "SELECT canonical_url FROM articles WHERE content_hash = ? AND canonical_url != ?", (digest, key)).fetchone()
            if same is not None:
                return self._record_duplicate(record, key, same[0], SaveStatus.DUPLICATE, 0), same[0]
            near = self._near_duplicate(value, key) if row is None else None
            if near is not None:
                return self._record_duplicate(record, key, near[0], SaveStatus.NEAR_DUPLICATE, near[1]), near[0]
            values = (record["url"], digest, value, record["site"], record["title"], record["language"],
                      record["date_published"], json.dumps(record, ensure_ascii=False), self.crawl_id)
            if row is None:
                self.db.execute(
                    "INSERT INTO articles (url, content_hash, simhash, site, title, language, date_published, record,"
                    " crawl_id, canonical_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, key))
                status = SaveStatus.NEW
            else:
                self.db.execute("DELETE FROM simhash_bands WHERE canonical_url = ?", (key,))
                self.db.execute(
                    "UPDATE articles SET url = ?, content_hash = ?, simhash = ?, site = ?, title = ?, language = ?,"
                    " date_published = ?, record = ?, crawl_id = ?,"
                    " last_saved_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE canonical_url = ?", (*values, key))
                status = SaveStatus.UPDATED
            if value:
                self.db.executemany("INSERT OR IGNORE INTO simhash_bands (band, canonical_url) VALUES (?, ?)",
                                    [(band, key) for band in _bands(value)])
            return status, None

    def template_counts(self, site: str, fingerprints: Collection[str]) -> dict[str, int]:
        """For each given fingerprint seen on ``site``, the number of distinct pages it was seen on (unseen: absent)."""
        marks = list(fingerprints)
        counts: dict[str, int] = {}
        for start in range(0, len(marks), 500):  # under SQLite's limit of bound parameters
            chunk = marks[start:start + 500]
            marks_in = ", ".join("?" * len(chunk))
            counts.update(self.db.execute(
                f"SELECT fingerprint, pages FROM site_templates WHERE site = ? AND fingerprint IN ({marks_in})",
                (site, *chunk)).fetchall())
        return counts

    def record_template_page(self, site: str, page: str, fingerprints: Collection[str], seen_at: str) -> None:
        """Count ``page`` (a canonical URL) once for each of its block fingerprints on ``site``.

        Idempotent per (site, page): a re-crawl or a resumed crawl raises no count. Past
        ``max_template_fingerprints`` for the site, the fingerprints on the fewest pages, least
        recently seen first, are aged out.
        """
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            if self.db.execute("INSERT OR IGNORE INTO site_template_pages (site, page) VALUES (?, ?)",
                               (site, page)).rowcount == 0:
                return
            self.db.executemany(
                "INSERT INTO site_templates (site, fingerprint, pages, last_seen) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (site, fingerprint) DO UPDATE SET pages = pages + 1, last_seen = excluded.last_seen",
                [(site, mark, seen_at) for mark in set(fingerprints)])
            (kept,) = self.db.execute("SELECT COUNT(*) FROM site_templates WHERE site = ?", (site,)).fetchone()
            if kept > self.max_template_fingerprints:
                self.db.execute(
                    "DELETE FROM site_templates WHERE site = ? AND fingerprint IN (SELECT fingerprint"
                    " FROM site_templates WHERE site = ? ORDER BY pages, last_seen LIMIT ?)",
                    (site, site, kept - self.max_template_fingerprints))

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(row[0]) for row in self.db.execute("SELECT record FROM articles ORDER BY canonical_url")]

    def duplicates(self) -> list[tuple[str, str, str]]:
        """(url, duplicate_of, kind) of every copy that was not saved."""
        return list(self.db.execute("SELECT url, duplicate_of, kind FROM duplicates ORDER BY url"))
