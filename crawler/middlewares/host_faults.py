"""HostFaultsMiddleware: a host that keeps timing out is backed off; one that keeps failing is given up for the run.

Scrapy retries each request on its own: a site that went down costs every queued request
its retries, each waiting a whole ``DOWNLOAD_TIMEOUT`` in one of the site's slots. Here, per
host (host and port: a dead port is not a dead host), failures that say the host itself is
in trouble (a timeout, a refused connection, a failed DNS lookup) are counted in a row; any
response resets the count.

* Each timeout backs the host's downloader slot off: half its concurrency (at least 1) and
  twice its delay (at least 1 s, at most ``CLEANCRAWL_HOST_BACKOFF_MAX_DELAY``), so a slow
  host stops tying up the crawl. Its first response restores both (AutoThrottle then sets
  the delay from the latency again).
* ``CLEANCRAWL_HOST_GIVE_UP_AFTER`` (default 5) such failures in a row: the host is given up
  for this run, with one WARNING line; every request for it that is still queued, or a retry,
  is then dropped before it is sent (``cleancrawl/failed/host_given_up``, per seed too). Its
  slot is restored: requests already waiting in it fail without the backoff's delays.

It sits just inside RetryMiddleware (550), so it sees every failed try, retried or not.
Stats: ``cleancrawl/host_faults/<reason>`` (failed tries), ``cleancrawl/host_faults/backoff``,
``cleancrawl/host_faults/given_up`` (hosts).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from .outcomes import failure_reason

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self

logger = logging.getLogger(__name__)

HOST_FAULTS = ("timeout", "connection_refused", "dns")


class HostGivenUp(IgnoreRequest):
    """A request for a host given up in this run (its reason slug: ``host_given_up``)."""

    reason = "host_given_up"


class HostFaultsMiddleware:
    def __init__(self, crawler: Crawler, give_up_after: int, max_delay: float) -> None:
        self.crawler = crawler
        self.give_up_after = give_up_after
        self.max_delay = max_delay
        self.in_a_row: Counter[str] = Counter()
        self.given_up: set[str] = set()
        self.backed_off: dict[str, tuple[Slot, int, float]] = {}  # host -> its slot, concurrency and delay before

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("CLEANCRAWL_HOST_FAULTS_ENABLED", True):
            raise NotConfigured("CLEANCRAWL_HOST_FAULTS_ENABLED is off")
        return cls(crawler, settings.getint("CLEANCRAWL_HOST_GIVE_UP_AFTER", 5),
                   settings.getfloat("CLEANCRAWL_HOST_BACKOFF_MAX_DELAY", 30.0))

    @staticmethod
    def host(request: Request) -> str:
        return urlparse_cached(request).netloc

    def process_request(self, request: Request) -> None:
        if self.host(request) in self.given_up:
            raise HostGivenUp(f"{self.host(request)} was given up in this crawl: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        host = self.host(request)
        self.in_a_row.pop(host, None)
        self._restore(host)
        return response

    def _restore(self, host: str) -> None:
        if host in self.backed_off:
            slot, concurrency, delay = self.backed_off.pop(host)
            slot.concurrency, slot.delay = concurrency, delay

    def process_exception(self, request: Request, exception: Exception) -> None:
        reason = failure_reason(exception)
        host = self.host(request)
        if reason not in HOST_FAULTS or host in self.given_up:
            return
        stats = self.crawler.stats
        stats.inc_value(f"cleancrawl/host_faults/{reason}")
        self.in_a_row[host] += 1
        if self.in_a_row[host] >= self.give_up_after:
            self.given_up.add(host)
            self._restore(host)  # what is already in its slot fails fast; nothing new gets in
            stats.inc_value("cleancrawl/host_faults/given_up")
            logger.warning("Giving up on %s for this crawl after %d failures in a row (the last: %s); its other"
                           " requests are dropped (cleancrawl/failed/host_given_up)", host, self.in_a_row[host], reason)
        elif reason == "timeout":
            self._back_off(request, host)

    def _back_off(self, request: Request, host: str) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        self.backed_off.setdefault(host, (slot, slot.concurrency, slot.delay))
        slot.concurrency = max(1, slot.concurrency // 2)
        slot.delay = min(self.max_delay, max(2 * slot.delay, 1.0))
        self.crawler.stats.inc_value("cleancrawl/host_faults/backoff")
        logger.debug("%s timed out again: at most %d requests at a time, %.1f s apart", host, slot.concurrency,
                     slot.delay)
