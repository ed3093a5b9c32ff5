"""The crawl frontier: requests pending, leased to a worker, done; and the requests ever seen.

:mod:`.scheduler` is Scrapy's ``SCHEDULER`` over a :class:`.backend.FrontierBackend`;
:mod:`.local` is the SQLite backend (in ``JOBDIR`` for a crash-safe resume, else in memory).
"""

from __future__ import annotations

from .backend import Entry, FrontierBackend, Lease
from .local import JobdirInUse, SQLiteFrontier

__all__ = ["Entry", "FrontierBackend", "JobdirInUse", "Lease", "SQLiteFrontier"]
