"""WarcMiddleware: every fetched response and its request go to WARC files (``CLEANCRAWL_WARC_PATH``).

It sits at the downloader end of the chain (``DOWNLOADER_MIDDLEWARES`` 950, after
HttpCompressionMiddleware's 590, CookiesMiddleware's 700 and DownloaderStats' 850), so
``process_response`` sees the headers and the body as the server sent them, before
they are decompressed, redirected or retried, and the request as it was sent. Redirects,
errors and 304s are archived like any response; answers served from Scrapy's HTTP
cache (flag ``cached``) are not, they were fetched by an earlier run.

The writing itself happens in :class:`crawler.warc.WarcArchive`'s thread. At most
``CLEANCRAWL_WARC_QUEUE`` exchanges wait for it: a response that finds the queue full
waits (asynchronously, the reactor goes on) until the writer catches up.
Stats: ``cleancrawl/warc/records`` (responses archived), ``cleancrawl/warc/files``,
``cleancrawl/warc/bytes``, ``cleancrawl/warc/errors``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from importlib.metadata import version
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import run_in_thread

from ..warc import DEFAULT_MAX_SIZE, Exchange, RotatingWarcFiles, WarcArchive, Written

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = 64


def _exchange(request: Request, response: Response) -> Exchange:
    return Exchange(
        url=response.url,
        fetched_at=datetime.now(UTC),
        # WARC readers parse HTTP/1.x status lines only: an HTTP/2 exchange is written as its HTTP/1.1 equivalent.
        protocol=response.protocol if (response.protocol or "").startswith("HTTP/1.") else "HTTP/1.1",
        status=response.status,
        response_headers=[(name, value) for name, values in response.headers.items() for value in values],
        body=response.body,
        method=request.method,
        request_headers=[(name, value) for name, values in request.headers.items() for value in values],
        request_body=request.body,
        ip_address=str(response.ip_address) if response.ip_address else None,
    )


class WarcMiddleware:
    """Archives each downloaded response with its request; off unless ``CLEANCRAWL_WARC_PATH`` is set."""

    def __init__(self, crawler: Crawler, files: RotatingWarcFiles, capacity: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.files = files
        self.capacity = capacity
        self.archive: WarcArchive | None = None
        self.slots: asyncio.Semaphore | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        path = settings.get("CLEANCRAWL_WARC_PATH")
        if not path:
            raise NotConfigured  # off by default: no warning
        info = {"software": f"{settings.get('BOT_NAME')} (Scrapy {version('scrapy')}, warcio {version('warcio')})",
                "http-header-user-agent": settings.get("USER_AGENT"),
                "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore"}
        files = RotatingWarcFiles(path, settings.getint("CLEANCRAWL_WARC_MAX_SIZE", DEFAULT_MAX_SIZE),
                                  settings.get("BOT_NAME", "cleancrawl"), info)
        middleware = cls(crawler, files, max(settings.getint("CLEANCRAWL_WARC_QUEUE", DEFAULT_QUEUE), 1))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _written(self, written: Written) -> None:
        """On the reactor thread: one exchange left the queue."""
        assert self.slots is not None
        self.slots.release()
        if written.error:
            self.stats.inc_value("cleancrawl/warc/errors")
            if not self.failed:
                logger.error("writing the WARC file failed (%s); later failures are counted, not logged",
                             written.error)
            self.failed = True
            return
        self.stats.inc_value("cleancrawl/warc/records")
        self.stats.inc_value("cleancrawl/warc/bytes", written.bytes)
        if written.new_file is not None:
            self.stats.inc_value("cleancrawl/warc/files")
            logger.info("writing WARC file %s", written.new_file)

    def _start(self) -> WarcArchive:
        loop = asyncio.get_running_loop()
        self.slots = asyncio.Semaphore(self.capacity)
        self.archive = WarcArchive(self.files, self.capacity,
                                   lambda written: loop.call_soon_threadsafe(self._written, written))
        self.archive.start()
        return self.archive

    async def process_response(self, request: Request, response: Response) -> Response:
        if "cached" in response.flags:
            return response
        archive = self.archive or self._start()
        assert self.slots is not None
        await self.slots.acquire()
        archive.put(_exchange(request, response))
        return response

    async def spider_closed(self) -> None:
        if self.archive is not None:
            await run_in_thread(self.archive.stop)  # what is queued is written before the crawl ends
            self.archive = None
