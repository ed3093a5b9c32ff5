"""CleanPipeline: turns each fetched Page into an Article in a pool of worker processes."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from scrapy.exceptions import DropItem, NotConfigured

from ..cleaning import clean_page, warm_up
from ..items import BLOCK_FINGERPRINTS, Article, BlockMarks, Page
from .templates import SiteTemplatePipeline

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Pages handed to the pool at once, per worker: one being cleaned and a few ready, so
# that a worker never idles while the reactor is busy (the benchmark measured no
# throughput difference between 2, 4 and 64). Further pages wait here, not pickled into
# the pool's queue (Scrapy's scraper slot already bounds how many responses are in
# process), and CLEANCRAWL_CLEAN_TIMEOUT counts from the hand-over, not from the arrival
# behind a long queue.
PAGES_PER_WORKER = 4


class CleanPipeline:
    """Cleans pages off the reactor thread.

    ``CLEANCRAWL_WORKERS`` processes (default: the machine's cores) run
    :func:`cleaners.clean`; 0 runs it in one thread of the crawl process instead.
    The site templates known so far (:class:`SiteTemplatePipeline`) are removed there too.
    """

    def __init__(self, crawler: Crawler, workers: int, timeout: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = workers
        self.timeout = timeout
        self.templates: SiteTemplatePipeline | None = None
        self.executor: Executor | None = None
        self.slots = asyncio.Semaphore(max(workers, 1) * PAGES_PER_WORKER)
        self.pending = 0  # pages in process_item: waiting for a slot or in the pool

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
        executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up,
                                       initargs=(os.getpid(),))
        # Start every worker now (a submission starts one while none is idle), so that they
        # import and warm up while the first pages download instead of after they arrive.
        for _ in range(self.workers):
            executor.submit(os.getpid)
        return executor

    def _executor(self) -> Executor:
        if self.executor is None:
            self.executor = self._start()
        return self.executor

    def open_spider(self) -> None:
        self.templates = self.crawler.get_item_pipeline(SiteTemplatePipeline)
        self._executor()

    def close_spider(self) -> None:
        self._stop(self.executor)

    def _stop(self, executor: Executor | None) -> None:
        if executor is not None and executor is self.executor:
            self.executor = None
            executor.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        self.pending += 1
        self.stats.max_value("cleancrawl/clean/max_pending", self.pending)
        try:
            async with self.slots:  # the template is taken at the hand-over: the latest known
                template = self.templates.for_site(item.site) if self.templates is not None else None
                status, result, fingerprints = await self._run(item.url, clean_page, item.body, item.url,
                                                               item.content_type, item.fetched_at, template)
        finally:
            self.pending -= 1
        if status == "error":
            reason, _, message = result.partition(": ")
            self._drop(reason, f"{message}: {item.url}")
        self.stats.inc_value("cleancrawl/cleaned")
        for field in ("removed", "guarded"):
            for rule, count in result[field].items():
                self.stats.inc_value(f"cleancrawl/{field}/{rule}", count)
        article = Article(result)
        if template is not None:
            article[BLOCK_FINGERPRINTS] = BlockMarks(fingerprints, template.size)
        return article

    async def run(self, url: str, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` (plain Python, picklable) for the page at ``url`` in a cleaning worker, in its turn
        with the pages being cleaned; a timeout or a dead worker is a counted drop."""
        async with self.slots:
            return await self._run(url, function, *args)

    async def _run(self, url: str, function: Callable[..., T], *args: Any) -> T:
        executor = self._executor()
        try:
            # submit() itself raises BrokenProcessPool when the pool broke since the last page.
            future = executor.submit(function, *args)
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            self._drop("timeout", f"cleaning took more than {self.timeout:g} s: {url}")
        except BrokenProcessPool:
            # A worker died (out of memory, a crash in a C library): start a fresh pool
            # (once, however many pages of the broken pool fail).
            self._stop(executor)
            self._drop("worker_crashed", f"a cleaning worker died on {url}")

    def _drop(self, reason: str, message: str) -> NoReturn:
        self.stats.inc_value(f"cleancrawl/dropped/{reason}")
        raise DropItem(f"{reason}: {message}")
