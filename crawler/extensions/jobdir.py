"""CrashSafeJobdir: a JOBDIR that was not closed cleanly is not trusted on resume.

Scrapy persists a job in two parts that are only consistent after a clean close
(Ctrl-C once, or the crawl finishing): ``requests.seen`` (fingerprints of every request
ever scheduled, appended through an 8 KiB buffer) and ``requests.queue`` (the pending
requests, whose positions are written to ``active.json`` and ``info.json`` on close
only). After ``kill -9``, an out-of-memory kill or a power cut, the queue's state is
lost while up to all of the seen fingerprints survive: resuming then skips every
request that was seen but never fetched, and the crawl "finishes" at once with those
pages never crawled (reproduced: 450 articles, kill -9 after 154 were saved, the
resumed run fetched 0 pages and exited 0).

This extension holds an exclusive lock on ``JOBDIR/cleancrawl.lock`` for the life of
the crawl (a second crawl on the same JOBDIR is refused) and writes ``running`` in it;
a clean close writes ``closed``. If a crawl starts and finds ``running``, the previous
one died: the queue and the seen-requests file are removed before Scrapy opens them,
and the crawl starts over from its seeds. That costs requests, not articles: the store
drops what it already has (``unchanged``) and ConditionalFetchMiddleware skips or
conditionally requests pages saved before.

Stats: ``cleancrawl/jobdir/unclean_restart``.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)

LOCK_NAME = "cleancrawl.lock"
# What Scrapy keeps in a JOBDIR that is only valid after a clean close.
SCHEDULER_STATE = ("requests.queue", "requests.seen")


class JobdirInUse(RuntimeError):
    """Another crawl holds the lock of this JOBDIR."""


def _lock(file: BinaryIO, path: Path) -> None:
    try:
        import fcntl  # noqa: PLC0415 (POSIX only)
    except ImportError:  # pragma: no cover - Windows: no lock, the marker alone still detects a crash
        return
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        raise JobdirInUse(f"JOBDIR {path.parent} is in use by another crawl ({error})") from error


class CrashSafeJobdir:
    """Detects a JOBDIR left by a crawl that died, and resets its scheduler state before Scrapy reads it."""

    def __init__(self, crawler: Crawler, jobdir: Path) -> None:
        self.crawler = crawler
        self.jobdir = jobdir
        jobdir.mkdir(parents=True, exist_ok=True)
        lock_path = jobdir / LOCK_NAME
        self.file: BinaryIO = open(lock_path, "a+b")  # noqa: SIM115 (held open: the lock lives as long as the crawl)
        try:
            _lock(self.file, lock_path)
        except JobdirInUse:
            self.file.close()
            raise
        self.file.seek(0)
        previous = self.file.read().strip()
        if previous == b"running":
            self.reset()
        self._write(b"running")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        jobdir = job_dir(crawler.settings)
        if not jobdir or not crawler.settings.getbool("CLEANCRAWL_JOBDIR_CRASH_SAFE", True):
            raise NotConfigured  # no JOBDIR: nothing to protect, no warning
        extension = cls(crawler, Path(jobdir))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _write(self, state: bytes) -> None:
        self.file.seek(0)
        self.file.truncate()
        self.file.write(state + b"\n")
        self.file.flush()
        os.fsync(self.file.fileno())

    def reset(self) -> None:
        logger.warning(
            "JOBDIR %s was not closed cleanly (the crawl was killed): its request queue and seen-requests file"
            " cannot be trusted, so the crawl starts over from its seeds; articles already saved are skipped",
            self.jobdir)
        self.crawler.stats.set_value("cleancrawl/jobdir/unclean_restart", 1)
        for name in SCHEDULER_STATE:
            path = self.jobdir / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    def spider_closed(self) -> None:
        # The scheduler wrote its queue state and closed requests.seen before spider_closed is sent.
        self._write(b"closed")
        self.file.close()
