"""SqlStore: the store's logic, in SQL that SQLite and PostgreSQL both run; a backend supplies the connection,
its transactions and their locks.

Saving a story reads before it writes (is this URL, this text or a near-same text stored already?), so each save is
one transaction that holds a lock on everything it reads by: the canonical URL, the content hash and the SimHash
band keys. Two near-same stories share at least one band key, so workers saving them at once are serialised.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from simhash import Simhash, SimhashIndex

from .base import PageState, SaveStatus

# Near-duplicates: SimHashes at most this many bits apart (of 64) are the same story.
NEAR_DUPLICATE_BITS = 3
_BANDS = SimhashIndex([], k=NEAR_DUPLICATE_BITS)  # only its band keys are used; the index lives in the store
_PAGE = 500  # rows per query when reading many

# The tables, the same in every backend: {now} is the backend's current time (a STORE_TIME), {compact} its
# clause for tables that are only their primary key.
SCHEMA = """
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
    first_saved_at TEXT NOT NULL DEFAULT {now},
    last_saved_at TEXT NOT NULL DEFAULT {now},
    crawl_id TEXT NOT NULL,
    saved_by TEXT
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash);
CREATE INDEX IF NOT EXISTS articles_last_saved_at ON articles (last_saved_at);
CREATE TABLE IF NOT EXISTS simhash_bands (
    band TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    PRIMARY KEY (band, canonical_url)
){compact};
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
    seen_at TEXT NOT NULL DEFAULT {now}
);
CREATE TABLE IF NOT EXISTS site_templates (
    site TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pages INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (site, fingerprint)
){compact};
CREATE TABLE IF NOT EXISTS site_template_pages (
    site TEXT NOT NULL,
    page TEXT NOT NULL,
    PRIMARY KEY (site, page)
){compact};
"""
# Created once the column is sure to exist (an older SQLite store gains it when opened).
SAVED_BY_INDEX = "CREATE INDEX IF NOT EXISTS articles_saved_by ON articles (saved_by)"


def simhash_bands(value: str) -> list[str]:
    return list(_BANDS.get_keys(Simhash(int(value, 16))))


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _PAGE):
        yield values[start:start + _PAGE]


def _marks(values: Sized) -> str:
    return ", ".join("?" * len(values))


class SqlStore(ABC):
    """A :class:`~crawler.store.base.Store` over a SQL database (placeholders are written ``?``)."""

    #: the current time as a STORE_TIME, in this database's SQL
    NOW: ClassVar[str]

    def __init__(self, crawl_id: str, template_max_fingerprints: int) -> None:
        self.crawl_id = crawl_id
        self.template_max_fingerprints = template_max_fingerprints

    @abstractmethod
    def _transaction(self, locks: Collection[str]) -> AbstractContextManager[None]:
        """A transaction that holds an exclusive lock on each of ``locks`` (any strings) until it ends."""

    @abstractmethod
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def page_state(self, url: str) -> PageState | None:
        row = self._one("SELECT canonical_url, etag, last_modified, fetched_at FROM pages WHERE url = ?", (url,))
        return PageState(*row) if row else None

    def record_fetch(self, url: str, etag: str | None, last_modified: str | None, fetched_at: str) -> None:
        self._run(
            "INSERT INTO pages (url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
            " fetched_at = excluded.fetched_at", (url, etag, last_modified, fetched_at))

    def _near_duplicate(self, value: str, bands: list[str], key: str) -> tuple[str, int] | None:
        mine = Simhash(int(value, 16))
        rows = self._rows(
            f"SELECT DISTINCT a.canonical_url, a.simhash FROM simhash_bands b JOIN articles a USING (canonical_url)"
            f" WHERE b.band IN ({_marks(bands)}) AND a.canonical_url != ?", (*bands, key))
        matches = [(mine.distance(Simhash(int(other, 16))), url) for url, other in rows if other]
        best = min(matches, default=None)
        return (best[1], best[0]) if best and best[0] <= NEAR_DUPLICATE_BITS else None

    def _record_duplicate(self, record: dict[str, Any], key: str, of: str, kind: SaveStatus, bits: int | None) -> SaveStatus:
        self._run(
            f"INSERT INTO duplicates (url, canonical_url, duplicate_of, kind, bits_apart, seen_at)"
            f" VALUES (?, ?, ?, ?, ?, {self.NOW}) ON CONFLICT (url) DO UPDATE SET canonical_url = excluded.canonical_url,"
            f" duplicate_of = excluded.duplicate_of, kind = excluded.kind, bits_apart = excluded.bits_apart,"
            f" seen_at = excluded.seen_at", (record["url"], key, of, kind.value, bits))
        return kind

    def save(self, record: dict[str, Any]) -> tuple[SaveStatus, str | None]:
        """Insert or update one record. Returns its status and, for duplicates, the canonical URL it copies."""
        key = record["canonical_url"] or record["url"]
        digest, value = record["content_hash"], record.get("simhash")
        bands = simhash_bands(value) if value else []
        with self._transaction([f"url {key}", f"hash {digest}", *(f"band {band}" for band in bands)]):
            self._run("UPDATE pages SET canonical_url = ? WHERE url = ?", (key, record["url"]))
            row = self._one("SELECT content_hash, crawl_id FROM articles WHERE canonical_url = ?", (key,))
            if row is not None and row[1] == self.crawl_id:
                return self._record_duplicate(record, key, key, SaveStatus.DUPLICATE, 0), key
            if row is not None and row[0] == digest:
                self._run("UPDATE articles SET crawl_id = ? WHERE canonical_url = ?", (self.crawl_id, key))
                return SaveStatus.UNCHANGED, None
            same = self._one("SELECT canonical_url FROM articles WHERE content_hash = ? AND canonical_url != ?",
                             (digest, key))
            if same is not None:
                return self._record_duplicate(record, key, same[0], SaveStatus.DUPLICATE, 0), same[0]
            near = self._near_duplicate(value, bands, key) if value and row is None else None
            if near is not None:
                return self._record_duplicate(record, key, near[0], SaveStatus.NEAR_DUPLICATE, near[1]), near[0]
            status = SaveStatus.NEW if row is None else SaveStatus.UPDATED
            saved = json.dumps({**record, "event": status.value}, ensure_ascii=False)  # as the feeds get it
            values = (record["url"], digest, value, record["site"], record["title"], record["language"],
                      record["date_published"], saved, self.crawl_id, self.crawl_id)
            if row is None:
                self._run(
                    f"INSERT INTO articles (url, content_hash, simhash, site, title, language, date_published, record,"
                    f" crawl_id, saved_by, first_saved_at, last_saved_at, canonical_url)"
                    f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {self.NOW}, {self.NOW}, ?)", (*values, key))
            else:
                self._run("DELETE FROM simhash_bands WHERE canonical_url = ?", (key,))
                self._run(
                    f"UPDATE articles SET url = ?, content_hash = ?, simhash = ?, site = ?, title = ?, language = ?,"
                    f" date_published = ?, record = ?, crawl_id = ?, saved_by = ?, last_saved_at = {self.NOW}"
                    f" WHERE canonical_url = ?", (*values, key))
            self._run_many("INSERT INTO simhash_bands (band, canonical_url) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           [(band, key) for band in bands])
            return status, None

    def records(self) -> list[dict[str, Any]]:
        rows = self._rows("SELECT canonical_url, record FROM articles")
        return [json.loads(text) for _, text in sorted(rows)]  # sorted here: collations differ between databases

    def duplicates(self) -> list[tuple[str, str, str]]:
        return sorted(self._rows("SELECT url, duplicate_of, kind FROM duplicates"))

    def saved_since(self, since: str, saved_by: str | None = None) -> Iterator[dict[str, Any]]:
        where, params = ("last_saved_at >= ? AND saved_by = ?", [since, saved_by]) if saved_by else \
            ("last_saved_at >= ?", [since])
        after: tuple[str, str] = ("", "")
        while True:  # pages in (last_saved_at, canonical_url) order, so a large store is never read whole
            rows = self._rows(
                f"SELECT record, first_saved_at, last_saved_at, canonical_url FROM articles WHERE {where}"
                f" AND (last_saved_at, canonical_url) > (?, ?) ORDER BY last_saved_at, canonical_url LIMIT ?",
                (*params, *after, _PAGE))
            for text, first, last, _ in rows:
                record = json.loads(text)
                if record.get("event") is None:  # saved before the store kept the event (times are to the second)
                    record["event"] = "new" if first == last else "updated"
                yield record
            if len(rows) < _PAGE:
                return
            after = (rows[-1][2], rows[-1][3])

    def template_counts(self, site: str, fingerprints: Collection[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for chunk in _chunks(sorted(set(fingerprints))):
            counts.update(self._rows(f"SELECT fingerprint, pages FROM site_templates WHERE site = ?"
                                     f" AND fingerprint IN ({_marks(chunk)})", (site, *chunk)))
        return counts

    def record_template_pages(self, site: str, pages: Mapping[str, Collection[str]], seen_at: str) -> None:
        with self._transaction([f"templates {site}"]):
            new: list[str] = []
            for chunk in _chunks(sorted(pages)):
                new += [page for (page,) in self._rows(
                    f"INSERT INTO site_template_pages (site, page) VALUES {', '.join(['(?, ?)'] * len(chunk))}"
                    f" ON CONFLICT DO NOTHING RETURNING page", [value for page in chunk for value in (site, page)])]
            seen = Counter(fingerprint for page in new for fingerprint in set(pages[page]))
            if not seen:
                return  # every page counted already, or none with a block to count
            self._run_many(
                "INSERT INTO site_templates (site, fingerprint, pages, last_seen) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (site, fingerprint) DO UPDATE SET pages = site_templates.pages + excluded.pages,"
                " last_seen = excluded.last_seen", [(site, mark, n, seen_at) for mark, n in sorted(seen.items())])
            (excess,) = self._rows("SELECT count(*) - ? FROM site_templates WHERE site = ?",
                                   (self.template_max_fingerprints, site))[0]
            if excess > 0:
                self._run("DELETE FROM site_templates WHERE site = ? AND fingerprint IN (SELECT fingerprint"
                          " FROM site_templates WHERE site = ? ORDER BY pages, last_seen, fingerprint LIMIT ?)",
                          (site, site, excess))
