"""CleanPipeline: turns each fetched Page into an Article in a pool of worker processes."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem, NotConfigured

from ..cleaning import clean_page, warm_up
from ..items import Article, Page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)


class CleanPipeline:
    """Cleans pages off the reactor thread.

    ``CLEANCRAWL_WORKERS`` processes (default: the machine's cores) run
    :func:`cleaners.clean`; 0 runs it in one thread of the crawl process instead.
    """

    def __init__(self, crawler: Crawler, workers: int, timeout: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = workers
        self.timeout = timeout
        self.executor: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("CLEANCRAWL_CLEAN_ENABLED", True):
            raise NotConfigured("CLEANCRAWL_CLEAN_ENABLED is off")
        workers = crawler.settings.getint("CLEANCRAWL_WORKERS", -1)
        return cls(crawler, (os.cpu_count() or 1) if workers < 0 else workers,
                   crawler.settings.getfloat("CLEANCRAWL_CLEAN_TIMEOUT", 60.0))

    def _start(self) -> Executor:
        if self.workers == 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="cleancrawl-clean")
        # spawn: a forked child would inherit the reactor and its sockets.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up)

    def close_spider(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        if self.executor is None:
            self.executor = self._start()
        future = self.executor.submit(clean_page, item.body, item.url, item.content_type, item.fetched_at)
        try:
            status, result = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            self._drop("timeout", f"cleaning took more than {self.timeout:g} s: {item.url}")
        except BrokenProcessPool:
            # A worker died (out of memory, a crash in a C library): start a fresh pool.
            self.close_spider()
            self._drop("worker_crashed", f"a cleaning worker died on {item.url}")
        if status == "error":
            reason, _, message = result.partition(": ")
            self._drop(reason, f"{message}: {item.url}")
        self.stats.inc_value("cleancrawl/cleaned")
        for rule, count in result["removed"].items():
            self.stats.inc_value(f"cleancrawl/removed/{rule}", count)
        return Article(result)

    def _drop(self, reason: str, message: str) -> None:
        self.stats.inc_value(f"cleancrawl/dropped/{reason}")
        raise DropItem(f"{reason}: {message}")
