"""SQLiteFrontier: the frontier of one crawl process, in a SQLite file in ``JOBDIR`` (or in memory).

Each change is one transaction in WAL mode with ``synchronous=NORMAL``: a committed change is
in the OS's page cache at once, so ``kill -9`` (or an out-of-memory kill) at any moment leaves
the file as it was after the last commit; only an OS crash or power loss may lose the last
commits, and the file stays consistent even then. The transactions are small page-cache
writes, done on the reactor thread because Scrapy's scheduler interface is synchronous
(as its own disk queues are).

One process holds the file: an exclusive lock on ``frontier.lock`` next to it refuses a second
crawl on the same JOBDIR (:class:`JobdirInUse`). So when the file is opened, every lease in it
belongs to a dead crawl and goes back to pending at once.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from scrapy.utils.job import job_dir

from .backend import Entry, Lease

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)


FILE_NAME = "frontier.sqlite3"
LOCK_NAME = "frontier.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (fingerprint BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
    key INTEGER PRIMARY KEY AUTOINCREMENT,  -- push order: FIFO within a priority
    priority INTEGER NOT NULL,
    request TEXT NOT NULL,
    owner TEXT,                             -- NULL: pending
    deadline REAL
);
CREATE INDEX IF NOT EXISTS entries_pending ON entries (priority DESC, key) WHERE owner IS NULL;
CREATE INDEX IF NOT EXISTS entries_owner ON entries (owner) WHERE owner IS NOT NULL;
"""


class JobdirInUse(RuntimeError):
    """Another crawl holds the frontier of this JOBDIR."""


def _lock(path: Path) -> IO[bytes]:
    file = open(path, "a+b")  # noqa: SIM115 (held open: the lock lives as long as the frontier)
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:  # pragma: no cover - Windows: no lock
        return file
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        file.close()
        raise JobdirInUse(f"JOBDIR {path.parent} is in use by another crawl ({error})") from error
    return file


class SQLiteFrontier:
    """:class:`.backend.FrontierBackend` in SQLite: ``directory`` None keeps it in memory (no resume)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.lock: IO[bytes] | None = None
        if directory is None:
            self.db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        else:
            directory.mkdir(parents=True, exist_ok=True)
            self.lock = _lock(directory / LOCK_NAME)
            self.db = sqlite3.connect(directory / FILE_NAME, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        # The lock excludes every other owner: leases left in the file are a dead crawl's.
        self.released = self._change("UPDATE entries SET owner = NULL, deadline = NULL WHERE owner IS NOT NULL")
        self._pending = self.db.execute("SELECT count(*) FROM entries WHERE owner IS NULL").fetchone()[0]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        directory = job_dir(crawler.settings)
        frontier = cls(Path(directory) if directory else None)
        if directory and frontier.pending():
            crawler.stats.set_value("cleancrawl/frontier/resumed", frontier.pending())
            crawler.stats.set_value("cleancrawl/frontier/released", frontier.released)
            logger.info("Resuming the crawl in JOBDIR %s: %d requests pending (%d were in flight when it stopped)",
                        directory, frontier.pending(), frontier.released)
        return frontier

    def _change(self, sql: str, parameters: Sequence[object] = ()) -> int:
        """One statement, one transaction (autocommit)."""
        return self.db.execute(sql, parameters).rowcount

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def push(self, entries: Sequence[Entry]) -> list[bool]:
        added = []
        with self._transaction():
            for entry in entries:
                if entry.fingerprint is not None and not self.db.execute(
                        "INSERT OR IGNORE INTO seen VALUES (?)", (entry.fingerprint,)).rowcount:
                    added.append(False)
                    continue
                self.db.execute("INSERT INTO entries (priority, request) VALUES (?, ?)", (entry.priority, entry.data))
                added.append(True)
        self._pending += sum(added)
        return added

    def lease(self, owner: str, count: int, seconds: float) -> list[Lease]:
        if not self._pending:
            return []
        rows = self.db.execute(
            "UPDATE entries SET owner = ?, deadline = ? WHERE key IN (SELECT key FROM entries WHERE owner IS NULL"
            " ORDER BY priority DESC, key LIMIT ?) RETURNING key, request, priority",
            (owner, time.time() + seconds, count)).fetchall()
        self._pending -= len(rows)
        rows.sort(key=lambda row: (-row[2], row[0]))  # RETURNING keeps no order
        return [Lease(str(key), request, priority) for key, request, priority in rows]

    def done(self, keys: Sequence[str]) -> None:
        # One statement (atomic without BEGIN/COMMIT: the scheduler calls this once per page).
        self._change("DELETE FROM entries WHERE key IN (SELECT value FROM json_each(?))",
                     (json.dumps([int(key) for key in keys]),))

    def heartbeat(self, owner: str, seconds: float) -> int:
        return self._change("UPDATE entries SET deadline = ? WHERE owner = ?", (time.time() + seconds, owner))

    def release_expired(self) -> int:
        return self._released(self._change("UPDATE entries SET owner = NULL, deadline = NULL"
                                           " WHERE owner IS NOT NULL AND deadline < ?", (time.time(),)))

    def release_owner(self, owner: str) -> int:
        return self._released(self._change("UPDATE entries SET owner = NULL, deadline = NULL WHERE owner = ?",
                                           (owner,)))

    def _released(self, count: int) -> int:
        self._pending += count
        return count

    def starting(self, owner: str, seconds: float) -> None:
        pass  # one process: its own start-up is over before its engine can find itself idle

    def started(self, owner: str) -> None:
        pass

    def pending(self) -> int:
        return self._pending

    def is_drained(self) -> bool:
        return self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM entries)").fetchone()[0] == 1

    def close(self) -> None:
        self.db.close()
        if self.lock is not None:
            self.lock.close()
