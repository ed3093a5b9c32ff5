"""CrawlState: owns the store that the pipelines, middlewares and the feed recovery share, and its one thread.

Store calls block (SQLite, PostgreSQL), so they all run in a single dedicated thread, never on the reactor.
Components reach it with ``crawler.get_extension(CrawlState)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy import signals
from scrapy.exceptions import NotConfigured

from ..store import Store, new_crawl_id, open_store, store_url
from ..workers import worker_id

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from typing_extensions import Self

T = TypeVar("T")


class CrawlState:
    """The store at ``CLEANCRAWL_STORE_URL`` or ``CLEANCRAWL_STORE_PATH`` (both empty: no state across runs)."""

    def __init__(self, settings: BaseSettings) -> None:
        self.worker = worker_id(settings)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cleancrawl-store")
        self.store: Store = self.thread.submit(open_store, settings, new_crawl_id(self.worker)).result()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if store_url(crawler.settings) is None:
            raise NotConfigured("no store: CLEANCRAWL_STORE_URL and CLEANCRAWL_STORE_PATH are empty")
        extension = cls(crawler.settings)
        crawler.signals.connect(extension.close, signal=signals.spider_closed)
        return extension

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in the store's thread."""
        return await asyncio.wrap_future(self.thread.submit(function, *args))

    def close(self) -> None:
        self.thread.submit(self.store.close).result()
        self.thread.shutdown(wait=True)
