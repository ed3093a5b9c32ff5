"""FrontierScheduler: Scrapy's scheduler over a frontier backend with lease semantics.

``SCHEDULER = "crawler.frontier.scheduler.FrontierScheduler"``; ``CLEANCRAWL_FRONTIER`` names the
backend: ``local`` (the default) or ``redis`` (:mod:`.redis`: one frontier shared by the crawl processes of a run,
on one machine or several). With ``JOBDIR`` the local frontier
is a SQLite file in it (:mod:`.local`): a crawl stopped in any way (Ctrl-C, SIGTERM, ``kill -9``,
an out-of-memory kill) resumes with the same command where it stopped. Without ``JOBDIR`` the
same backend lives in memory.

The life of a request:

1. ``enqueue_request`` puts it in an outbox (it returns True: whether it is a duplicate is
   known once pushed; duplicates are counted as ``dupefilter/filtered``).
2. The outbox is pushed to the backend, with the duplicate filter, in one call: when a leased
   request is done (so a response's links go in one batch, before the response counts as
   done), when nothing pending is left to lease (the start requests), and on close.
3. ``next_request`` leases the best pending request to this process (its owner id), unless
   ``CLEANCRAWL_FRONTIER_MAX_LEASED`` (default with JOBDIR: ``CONCURRENT_REQUESTS``) are leased
   already: a response waiting for the pipelines stays leased, and Scrapy would otherwise go on
   fetching while the cleaning pool is busy, up to 5 MB of responses waiting, all fetched again
   after a kill.
4. The request is done once the engine has *fully* processed it. Scrapy has no signal for
   that: ``ExecutionEngine._handle_downloader_output`` awaits ``Scraper.enqueue_scrape``,
   which returns only after the callback's output was consumed (its requests enqueued here),
   every item went through every pipeline (the store committed it) and ``item_scraped``
   handlers ran (the feed exporter wrote its line); a redirect or retry returns at once, the
   new request enqueued. Only then does the engine call ``_slot.remove_request(request)``.
   So the scheduler wraps that one call: the outbox is pushed, then the lease is done.
5. The end of the crawl: when the engine finds itself idle (its start requests read, nothing in
   flight), the worker tells the backend its start-up is over (``started``) and stays open
   (``DontCloseSpider``; the engine is woken every ``CLEANCRAWL_FRONTIER_POLL_SECONDS`` to lease
   what others pushed meanwhile, rather than after its own 5 s heartbeat) until the backend is
   drained: nothing pending, nothing leased by anyone, nobody starting. With one local process
   that is at once; with a shared frontier a worker never leaves while another still holds
   leases whose responses may bring new links.

A kill at any moment therefore leaves each request pending, leased (returned to pending when
the frontier is next opened) or done, and the links of a response that was not done are
found again when it is fetched again. Requests that cannot be stored as JSON are dropped and
counted (``cleancrawl/frontier/unserializable``).

Stats: Scrapy's ``scheduler/enqueued``, ``scheduler/dequeued``, ``dupefilter/filtered``;
``cleancrawl/frontier/resumed`` (requests pending when a JOBDIR was opened),
``cleancrawl/frontier/released`` (leases of a dead crawl, or of a dead worker of the run, returned to pending),
``cleancrawl/frontier/idle_waits`` (idle checks that found the run not drained: other workers still busy).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.core.scheduler import BaseScheduler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.job import job_dir
from scrapy.utils.misc import build_from_crawler, load_object

from . import serialization
from .backend import Entry

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from typing_extensions import Self

    from .backend import FrontierBackend

logger = logging.getLogger(__name__)

# CLEANCRAWL_FRONTIER -> the backend class, built with from_crawler.
BACKENDS = {"local": "crawler.frontier.local.SQLiteFrontier", "redis": "crawler.frontier.redis.RedisFrontier"}


class FrontierScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler, backend: FrontierBackend, lease_seconds: float, max_leased: int,
                 poll_seconds: float = 1.0) -> None:
        self.crawler = crawler
        self.backend = backend
        self.lease_seconds = lease_seconds
        self.max_leased = max_leased
        self.poll_seconds = poll_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.outbox: list[Request] = []
        self.leased: dict[Request, str] = {}  # by identity: the engine hands back the same objects
        self.heartbeat = create_looping_call(self._heartbeat)
        self.spider: Spider | None = None
        self.started = False  # the engine has read every start request and found itself idle once

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        name = settings.get("CLEANCRAWL_FRONTIER", "local")
        if name not in BACKENDS:
            raise ValueError(f"CLEANCRAWL_FRONTIER={name!r}: the frontier backends are {', '.join(BACKENDS)}")
        backend = build_from_crawler(load_object(BACKENDS[name]), crawler)
        # A crawl that can resume (JOBDIR) or shares its frontier fetches again what was in flight when it died:
        # bound that; a lone crawl without JOBDIR has no limit but Scrapy's own.
        max_leased = settings.getint("CLEANCRAWL_FRONTIER_MAX_LEASED") or (
            settings.getint("CONCURRENT_REQUESTS") if job_dir(settings) or name != "local" else 0)
        return cls(crawler, backend, settings.getfloat("CLEANCRAWL_FRONTIER_LEASE_SECONDS", 300.0), max_leased,
                   settings.getfloat("CLEANCRAWL_FRONTIER_POLL_SECONDS", 1.0))

    def open(self, spider: Spider) -> None:
        self.spider = spider
        engine = self.crawler.engine
        assert engine is not None and engine._slot is not None  # the engine builds its slot, then opens us
        slot = engine._slot
        remove_request = slot.remove_request

        def finished(request: Request) -> None:  # see step 4 of the module docstring
            try:
                key = self.leased.pop(request, None)  # None: not ours (robots.txt goes through engine.download)
                if key is not None:
                    self._flush()
                    self.backend.done([key])
            finally:
                remove_request(request)  # whatever happened above, the engine must not wait for it forever

        slot.remove_request = finished  # type: ignore[method-assign]
        self.wake_up = slot.nextcall  # the engine's "look for work now"
        self.backend.starting(self.owner, self.lease_seconds)
        self.crawler.signals.connect(self._spider_idle, signal=signals.spider_idle)
        self.heartbeat.start(self.lease_seconds / 3, now=False)

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        self._flush()
        self.backend.release_owner(self.owner)  # in flight at a forced stop: pending for the next run
        self.backend.close()

    def _heartbeat(self) -> None:
        self.backend.heartbeat(self.owner, self.lease_seconds)
        released = self.backend.release_expired()
        if released:
            self.crawler.stats.inc_value("cleancrawl/frontier/released", released)
            logger.warning("%d requests leased by a worker that stopped renewing them went back to pending", released)

    def _spider_idle(self) -> None:
        """See step 5 of the module docstring."""
        if not self.started:
            self._flush()
            self.backend.started(self.owner)
            self.started = True
        if not self.backend.is_drained():
            self.crawler.stats.inc_value("cleancrawl/frontier/idle_waits")
            self.wake_up.schedule(self.poll_seconds)
            raise DontCloseSpider

    def has_pending_requests(self) -> bool:
        return bool(self.outbox) or self.backend.pending() > 0

    def enqueue_request(self, request: Request) -> bool:
        self.outbox.append(request)
        return True

    def _flush(self) -> None:
        if not self.outbox:
            return
        assert self.spider is not None
        fingerprint = self.crawler.request_fingerprinter.fingerprint  # type: ignore[union-attr]
        entries = []
        for request in self.outbox:
            try:
                data = serialization.dumps(request, self.spider)
            except serialization.UnserializableRequest as error:
                self.crawler.stats.inc_value("cleancrawl/frontier/unserializable")
                logger.warning("Dropped %s: it cannot be stored in the frontier (%s)", request, error)
                continue
            entries.append(Entry(data, request.priority, None if request.dont_filter else fingerprint(request)))
        self.outbox.clear()
        added = sum(self.backend.push(entries))
        stats = self.crawler.stats
        stats.inc_value("scheduler/enqueued", added)
        if len(entries) > added:
            stats.inc_value("dupefilter/filtered", len(entries) - added)

    def next_request(self) -> Request | None:
        if self.max_leased and len(self.leased) >= self.max_leased:
            return None  # responses wait for the pipelines: fetching more only adds what a kill makes us fetch again
        if not self.backend.pending():
            self._flush()
        leases = self.backend.lease(self.owner, 1, self.lease_seconds)
        if not leases:
            return None
        assert self.spider is not None
        lease = leases[0]
        request = serialization.loads(lease.data, self.spider)
        self.leased[request] = lease.key
        self.crawler.stats.inc_value("scheduler/dequeued")
        return request

    def __len__(self) -> int:
        return len(self.outbox) + self.backend.pending()
