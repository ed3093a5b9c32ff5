"""SharedRobotsTxtMiddleware: Scrapy's RobotsTxtMiddleware with robots.txt fetched once per site per run.

Without a shared frontier it is Scrapy's middleware unchanged. With a shared frontier
(``CLEANCRAWL_FRONTIER=redis``) every worker would fetch each site's robots.txt for itself. Here the first worker to need it takes a claim in Redis (``<run>:robots:<host:port>:claim``), fetches it
the ordinary way (Scrapy's middleware: priority, stats, ``robots_parsed``) and stores the body
(``<run>:robots:<host:port>``, kept a day); the others wait for that body (polling every 100 ms, in asyncio)
and parse it without a request. A robots.txt that cannot be fetched is stored empty (allow everything, as
Scrapy does after such a failure); a claim whose worker died expires after 3 x ``DOWNLOAD_TIMEOUT``, and the
next worker fetches it. Stats: ``cleancrawl/robotstxt/shared`` (sites whose robots.txt another worker fetched).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from ..frontier.redis import connect_async, run_id

if TYPE_CHECKING:
    import redis.asyncio
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

KEEP_SECONDS = 24 * 3600  # a stored robots.txt outlives any run, not the site's changes for long


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)  # NotConfigured without ROBOTSTXT_OBEY
        self.client: redis.asyncio.Redis | None = None
        if crawler.settings.get("CLEANCRAWL_FRONTIER") == "redis":
            self.client = connect_async(crawler.settings)
            crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        self.run = run_id(crawler)
        self.claim_seconds = int(3 * crawler.settings.getfloat("DOWNLOAD_TIMEOUT"))
        self.writes: set[asyncio.Future[object]] = set()  # stores of failed fetches, kept until done

    def _key(self, netloc: str) -> str:
        return f"{self.run}:robots:{netloc}"

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if self.client is not None and netloc not in self._parsers:
            body = await self._fetched_by_another(netloc)
            if body is not None and netloc not in self._parsers:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
                self._stats.inc_value("cleancrawl/robotstxt/shared")
        return await super().robot_parser(request)

    async def _fetched_by_another(self, netloc: str) -> bytes | None:
        """The body another worker stored; None when this worker is the one to fetch it (it holds the claim)."""
        assert self.client is not None
        key = self._key(netloc)
        while True:
            body = await self.client.get(key)
            if body is not None:
                return bytes(body)
            if await self.client.set(f"{key}:claim", "1", nx=True, ex=self.claim_seconds):
                return None
            if netloc in self._parsers:  # this worker's own fetch is under way: Scrapy's Deferred waits for it
                return None
            await asyncio.sleep(0.1)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if self.client is not None:
            await self.client.set(self._key(netloc), response.body, ex=KEEP_SECONDS)
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        super()._robots_error(exc, netloc)
        if self.client is not None:  # Scrapy's method is synchronous: the store is a task of its own
            write = asyncio.ensure_future(self.client.set(self._key(netloc), b"", ex=KEEP_SECONDS))
            self.writes.add(write)
            write.add_done_callback(self.writes.discard)

    async def spider_closed(self) -> None:
        assert self.client is not None
        await self.client.aclose()
